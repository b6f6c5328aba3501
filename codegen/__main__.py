"""``python -m codegen``: regenerate, check or compare Billecta's models.

python -m codegen                      regenerate billecta_async/models/ from schema/billecta.xsd
python -m codegen --check              exit 1 when the committed models are stale
python -m codegen --xsd X --out DIR    generate from another XSD (e.g. Billecta's download)
python -m codegen diff OLD.xsd NEW.xsd what an upgrade adds, removes and retypes
"""

from __future__ import annotations

import sys

from codegen.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
