"""`python -m synthetic`: write the synthetic export, or daily exports (see synthetic.generator)."""

from synthetic.generator import main

main()
