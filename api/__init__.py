"""The versioned REST API (`/api/v1/`): public reads of the plan and token-authenticated writes."""
