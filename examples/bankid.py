"""Mobile BankID: authenticate a person, then have them sign a text.

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/bankid.py [PERSONAL_NUMBER]

The person number defaults to 19800113-9297, which Billecta's test environment (and the
emulator) completes after 10 seconds; 19700123-9297 ends in Error and 19600106-2626 in
NoClient. Reads the BILLECTA_* variables of BillectaClient.from_env() and
BILLECTA_CREDITOR_PUBLIC_ID (a creditor with a BankID certificate, in production).
"""

from __future__ import annotations

import asyncio
import os
import sys

from billecta_async import BillectaClient
from billecta_async.models import BankIdAuthenticationRequest, BankIdSignRequest, BankIdStatusType


async def authenticate(client: BillectaClient, creditor: str, ssn: str) -> bool:
    started = await client.bankid.create_authentication_request(
        BankIdAuthenticationRequest(creditor_public_id=creditor, ssn=ssn)
    )
    assert started.reference_token is not None
    print("open BankID on your phone")
    async for status in client.bankid.iter_authentication_status(started.reference_token):
        hint = status.hint_code.value if status.hint_code else "-"
        print(f"  authentication: {status.status.value} ({hint})")
        if status.status is BankIdStatusType.COMPLETE:
            print(f"  authenticated: {status.name}, from {status.ip_address}")
    return status.status is BankIdStatusType.COMPLETE


async def sign(client: BillectaClient, creditor: str, ssn: str) -> bool:
    started = await client.bankid.create_sign_request(
        BankIdSignRequest(
            creditor_public_id=creditor,
            ssn=ssn,
            user_message="I accept the terms of agreement 2024-17.",
        )
    )
    assert started.reference_token is not None
    signed = await client.bankid.wait_for_sign(started.reference_token, timeout=180)
    print(f"  signature: {signed.status.value}")
    return signed.status is BankIdStatusType.COMPLETE


async def main(ssn: str) -> int:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        if not await authenticate(client, creditor, ssn):
            return 1
        return 0 if await sign(client, creditor, ssn) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "198001139297")))
