"""``python -m api`` runs the govgraph command line."""

from api.cli import main

main()
