"""Bank account retrieval: a person's accounts, fetched from their bank with their BankID.

    billecta emulator --speed 100        # in another terminal: paste the export lines it prints
    python examples/bank_accounts.py [PERSONAL_NUMBER]

In Billecta's test environment (and the emulator) 19800113-9297 succeeds and 19700123-9297
fails, after 10 seconds. Reads the BILLECTA_* variables of BillectaClient.from_env() and
BILLECTA_CREDITOR_PUBLIC_ID.
"""

from __future__ import annotations

import asyncio
import os
import sys

from billecta_async import BillectaClient
from billecta_async.models import (
    AutogiroCompatibleType,
    BankAccountBankType,
    BankAccountStatusType,
)


async def main(ssn: str) -> int:
    creditor = os.environ["BILLECTA_CREDITOR_PUBLIC_ID"]
    async with BillectaClient.from_env() as client:
        started = await client.bank.initiate_account_retrieval(
            creditor, BankAccountBankType.FSPA, ssn, other_device=True
        )
        print("scan the QR code with BankID")
        result = await client.bank.wait_for_account_retrieval(started.public_id, timeout=180)
        if result.status is not BankAccountStatusType.SUCCESS:
            print("failed:", result.failure_code, result.failure_message)
            return 1
        for account in result.account_numbers or []:
            usable = account.autogiro_compatible is AutogiroCompatibleType.APPROVED
            print(
                f"  {account.name}: {account.clearing_no}-{account.account_no}"
                f" (IBAN {account.iban}){', autogiro' if usable else ''}"
            )
        return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "198001139297")))
