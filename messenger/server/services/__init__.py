"""Business rules: authentication, authorisation, validation; storage and hub behind them."""
