"""The HTTP face of the server: REST routes, the WebSocket endpoint, OpenAPI, errors."""
