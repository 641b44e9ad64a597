"""`python -m exodus.pipeline TARGET`: build a target through the declared pipeline."""
import sys

from exodus.pipeline.runner import main

sys.exit(main())
