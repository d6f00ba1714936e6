import sys

from django.conf import settings

from loadtests.soak.run import main

# The soak is a client of the dashboard it starts, not a Django process, but it reads the write
# path's messages (lazy translations) to tell what each page said. Without translations they are
# the English source texts, which is what the staff sessions (no Accept-Language) are shown.
if not settings.configured:
    settings.configure(USE_I18N=False)

sys.exit(main())
