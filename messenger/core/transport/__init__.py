"""Talking to the server: REST requests and the WebSocket push channel."""
