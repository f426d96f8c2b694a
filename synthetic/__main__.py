"""`python -m synthetic`: write the synthetic export, or daily exports (see synthetic.cli)."""

from synthetic.cli import main

main()
