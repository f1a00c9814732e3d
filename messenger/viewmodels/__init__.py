"""View-models: QtCore only. Item models and QObject view-models fed by core events; the widgets
bind to them and never talk to the core directly."""
