"""What the use cases run on, beside the database (`core/db`) and the outside services (`core/gateways`):
the one-time-code stores, the worker's leadership lock, the metrics registry, network address checks."""
