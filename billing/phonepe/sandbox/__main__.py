"""`python -m billing.phonepe.sandbox [--host H] [--port P]`: serve the sandbox with daphne."""

import argparse
import os

from daphne.cli import CommandLineInterface


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the local PhonePe sandbox.")
    parser.add_argument("--host", default=os.environ.get("PHONEPE_SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PHONEPE_SANDBOX_PORT", "8010"))
    args = parser.parse_args()
    print(f"PhonePe sandbox on http://{args.host}:{args.port}  (controls: /__control__/state)")
    CommandLineInterface().run(
        ["-b", args.host, "-p", str(args.port), "billing.phonepe.sandbox:app"]
    )


if __name__ == "__main__":
    main()
