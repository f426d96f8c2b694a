"""`python -m warehouse [--db-path PATH] [--full-refresh] [-- DBT ARGS]`: see warehouse.build."""

import sys

from warehouse.build import main

sys.exit(main())
