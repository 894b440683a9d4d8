"""Data intake from departments: data sets declared beside the layers, one validation for
the entry form, the spreadsheet and the push API, the draft → submitted → approved workflow,
completeness and timeliness computed from what was submitted, and the dossier feed."""
