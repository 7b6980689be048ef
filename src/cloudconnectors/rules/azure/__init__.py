"""Built-in rules over the Azure inventory (ARM and Microsoft Graph records)."""
