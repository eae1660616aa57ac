import sys

from numkit.cli import main

sys.exit(main())
