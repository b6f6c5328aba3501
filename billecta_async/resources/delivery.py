"""Delivery: DeliveryResource (``client.delivery``)."""

from __future__ import annotations

from typing_extensions import Unpack

from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class DeliveryResource(Resource):
    """Delivery.

    Sending your own documents by mail and text messages by SMS through Billecta.
    """

    @endpoint("POST", "/v1/delivery/mail", body="mail")
    async def send_mail(self, mail: m.MailDelivery, **options: Unpack[RequestOptions]) -> None:
        """Send a mail (postal letter).

        Sends the given PDF file (and optional appendixes) by mail; one file with its
        appendixes is one delivery/envelope. The PDFs must be A4, the main file must carry the
        sender and receiver information on its first page according to Billecta's standard
        document, and the whole file merged with its appendixes may not exceed 10 MB.
        """
        await self._request("POST", "/v1/delivery/mail", body=mail, options=options)

    @endpoint("POST", "/v1/delivery/sms", body="sms")
    async def send_sms(self, sms: m.SmsDelivery, **options: Unpack[RequestOptions]) -> m.Created:
        """Send an SMS (text message).

        Sends the message to the given phone number; the sender is your company name. Add line
        breaks by writing ``\\n\\r`` in the message. Returns the ``Created`` Billecta answers with.
        """
        return await self._request(
            "POST", "/v1/delivery/sms", body=sms, response=m.Created, options=options
        )
