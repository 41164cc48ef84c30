"""The API's operations: public reads (`public.py`, `catalogue.py`) and report writes."""
