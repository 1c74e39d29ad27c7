"""Paperwork: letters, notices, forms, reports and workbooks, and writing them safely.

- :mod:`.render`: Jinja2 templates (the plugin's before core's ``templates/``);
- :mod:`.word`: .docx in the official-document format (GB/T 9704-2012);
- :mod:`.pdf`: PDF through headless LibreOffice;
- :mod:`.bundle`: many PDFs as one, with a catalogue, page numbers through and a manifest inside;
- :mod:`.signing`: PAdES signatures (pyHanko) where the unit configures a certificate;
- :mod:`.xlsx`: spreadsheets people can use;
- :mod:`.tables`: tables with merged cells, drawn in Word, HTML, Excel and Markdown;
- :mod:`.safe_write`: an output file written whole or not at all, never over a record;
- :mod:`.reading`: every file, pipe and stdin read, with a size limit suited to it.
"""
