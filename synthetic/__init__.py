"""The deterministic synthetic TikTok export (`python -m synthetic`): see synthetic.generator."""
