"""Stages that check and analyse the curated data: validate, audit, derive, discrepancies."""
