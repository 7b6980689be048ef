"""CIS-style rules over the AWS inventory, one module per service; ``catalog`` lists them."""
