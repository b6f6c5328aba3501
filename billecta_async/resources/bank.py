"""Bank: BankResource (``client.bank``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class BankResource(Resource):
    """Bank.

    To get a consumer (private person) bank accounts the following services can be used. For
    more information see here Supported banks are DanskeBankOEB HandelsbankenSHB IcaICA
    LansforsakringarLFB NordeaNB SEBSEB SkandiaSKB Sparbanken SydSYD SwedbankFSPA Swedbank
    SparbankernaFSPASB
    """
