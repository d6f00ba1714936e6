import sys

from loadtests.soak.run import main

sys.exit(main())
