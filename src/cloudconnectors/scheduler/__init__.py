"""Running polls on time: the embedded scheduler and the lease claims it makes."""
