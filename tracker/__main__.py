"""`python -m tracker` and the `tracker` command.

Starting a command imports Typer, SQLAlchemy and Rich: a few hundred thousand objects that live
until exit and form no garbage, yet the cyclic collector walks them again and again while they
load (~70 ms of a 0.5 s `tracker status`). So collection starts off; `tracker ingest`, the one
long-running command, turns it back on (`tracker.cli.ingest`).
"""

import gc


def main() -> None:
    gc.disable()
    from tracker.cli import main as run

    run()


if __name__ == "__main__":
    main()
