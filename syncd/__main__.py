"""`python -m syncd` is the same program as the `syncd` script."""

from syncd.cli import main

if __name__ == "__main__":
    main()
