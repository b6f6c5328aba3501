"""Contract invoice: ContractInvoicesResource (``client.contract_invoices``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class ContractInvoicesResource(Resource):
    """Contract invoice.

    Contract invoices are recurring invoices to the same customer with the same invoice records
    and amounts. Using contract invoice you create an invoice definition and intervals of when
    it should be triggered. The create invoice trigger is executed a new invoice from the
    contract invoice is made and put among invoices (either as a draft/unattested or also auto
    attested by the system depending on the configuration on the contract invoice. The trigger
    is automatically managed by Billecta and made right after midnight. If a contract invoice is
    created after midnight it will not be triggered until the day after as long as next
    trigger/run date is today or earlier. Contract invoices also support invoice rows that are
    in the future also rows that should automatically be phased out after a certain date.
    """
