"""Reference answers to the workbook exercises, one module per notebook."""
