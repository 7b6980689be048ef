"""One router per resource; ``api.app`` lists them explicitly."""
