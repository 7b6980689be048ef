"""``python -m cloudconnectors`` runs the CLI."""

from cloudconnectors.cli.main import main

if __name__ == "__main__":
    main()
