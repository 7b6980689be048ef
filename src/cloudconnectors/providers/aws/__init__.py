"""Amazon Web Services: assume-role into the customer account, then collect."""
