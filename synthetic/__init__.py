"""The deterministic synthetic TikTok export (`python -m synthetic`): see docs/synthetic.md."""
