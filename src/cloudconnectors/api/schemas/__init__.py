"""Pydantic request and response models: the API's typed boundary."""
