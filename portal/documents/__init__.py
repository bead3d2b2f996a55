"""Printable documents of the portal: invoice, advance payment schedule and tax document for a
received advance payment as PDF (WeasyPrint), with QR Platba, and as ISDOC 6.0.2 XML.

`downloads` answers the invoices section's routes and `services` is their entry point;
`content` builds what a document shows (`parties`: the utility, the customer, the QR Platba),
`pdf` renders it, `cache` keeps rendered PDFs, `isdoc` writes the e-invoice, `spayd` and `qr`
make the QR Platba, `vat` splits an amount including VAT, `http` names and answers downloads.
"""
