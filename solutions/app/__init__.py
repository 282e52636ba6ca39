"""The finished backend: the service the workbook builds."""
