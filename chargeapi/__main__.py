"""``python -m chargeapi``: the ``chargeapi`` command."""

import sys

from chargeapi._cli import main

if __name__ == "__main__":
    sys.exit(main())
