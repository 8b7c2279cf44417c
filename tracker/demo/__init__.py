"""Demo data for trying the tracker, and the data generator the benchmarks use. Everything it makes is marked demo."""
