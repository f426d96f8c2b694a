"""Claim-classification modelling on the tiktok-claims warehouse."""
