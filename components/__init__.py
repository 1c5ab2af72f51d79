"""Streamlit building blocks for the pages: data access, filters, charts, reader."""
