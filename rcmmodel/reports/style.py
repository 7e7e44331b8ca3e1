"""The reports' stylesheet: one page design for HTML on screen and PDF on paper.

Printed pages keep a table with its note, a chart with its caption and a short list in one
piece (``.rcm-keep``, short tables, ``ul``); long tables may break, repeating their header.
A brand's colours are laid over it by :func:`rcmmodel.reports.brand.brand_css`.
"""
from __future__ import annotations

CSS = """
@page { size: Letter; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; }
        @bottom-left { content: element(rcmfooter); } }
.rcm-brand { display: flex; align-items: center; gap: 14px; border-bottom: 3px solid #12355b;
             padding-bottom: 8px; margin-bottom: 14px; }
.rcm-brand-logo { max-height: 48px; max-width: 200px; }
.rcm-brand-name { font-weight: 600; font-size: 11pt; color: #12355b; }
.rcm-brand-contact { font-size: 9pt; color: #555; }
.rcm-footer { font-size: 8pt; color: #666; border-top: 1px solid #2e7d32; padding-top: 3px;
              margin-top: 24px; }
@media print { .rcm-running { position: running(rcmfooter); margin: 0; }
               .rcm-end { display: none; } }
@media screen { .rcm-running { display: none; } }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, "Noto Sans CJK JP", sans-serif;
       font-size: 10.5pt; color: #222; line-height: 1.45; margin: 0; }
main.rcm-report { max-width: 900px; margin: 0 auto; padding: 24px; }
h1 { font-size: 20pt; margin: 0 0 6px; color: #12355b; }
h2 { font-size: 14pt; margin: 26px 0 8px; color: #12355b; border-bottom: 2px solid #d9e2ec;
     padding-bottom: 3px; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 16px 0 6px; page-break-after: avoid; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 9.5pt;
        break-inside: avoid; page-break-inside: avoid; }
table.rcm-long { break-inside: auto; page-break-inside: auto; }
thead { display: table-header-group; }
th, td { border-bottom: 1px solid #d9e2ec; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.rcm-wrap-head th { white-space: normal; }
tr { page-break-inside: avoid; }
table.rcm-wide { font-size: 8pt; } table.rcm-wide th, table.rcm-wide td { padding: 3px 4px; }
table.rcm-wide td:nth-child(2) { min-width: 70px; }
table.rcm-wide th.num { white-space: normal; }   /* a long head wraps: the table fits the page */
svg, img { max-width: 100%; height: auto; }
.jp-RenderedSVG, .output_svg, .output_png { break-inside: avoid; page-break-inside: avoid;
                                             margin: 6px 0 12px; }
ul, .rcm-keep { break-inside: avoid; page-break-inside: avoid; }
.rcm-sources ul { break-inside: auto; page-break-inside: auto; margin-top: 2px; }
.rcm-sources h3 { margin-top: 8px; }
img.rcm-chart { display: block; margin: 6px 0 12px; }
p, li { orphans: 3; widows: 3; }
.rcm-sources p, .rcm-sources li { font-size: 7.5pt; color: #444; line-height: 1.35; }
.rcm-sources p { margin-bottom: 0; }
.rcm-recommendation { font-size: 12.5pt; background: #eef6ee; border-left: 5px solid #2e7d32;
                      padding: 10px 14px; margin: 10px 0 16px; }
.rcm-recommendation.rcm-negative { background: #fdeeee; border-left-color: #c62828; }
.rcm-recommendation.rcm-neutral { background: #fff8e1; border-left-color: #f9a825; }
.rcm-warnings { background: #fff8e1; border-left: 4px solid #f9a825; padding: 2px 12px;
                margin: 8px 0; }
.rcm-recommendation p { margin: 0 0 4px; }
.rcm-recommendation ul { font-size: 10pt; margin: 4px 0 0; padding-left: 18px; }
.rcm-note { color: #555; font-size: 9pt; }
.rcm-grade { display: inline-block; min-width: 52px; padding: 1px 6px; border-radius: 3px;
             color: #fff; font-size: 8.5pt; text-align: center; }
.rcm-grade.green { background: #2e7d32; } .rcm-grade.amber { background: #f9a825; color: #222; }
.rcm-grade.red { background: #c62828; } .rcm-grade.none { background: #9e9e9e; }
ul { margin: 4px 0 10px; }
.anchor-link { display: none; }
span.rcm-excluded { color: #8a8a8a; }
tr.rcm-excluded td, td.rcm-excluded, th.rcm-excluded { color: #8a8a8a; background: #f5f5f5; }
.text_cell, .jp-MarkdownCell { break-after: avoid; page-break-after: avoid; }
h2 + .rcm-keep, h3 + .rcm-keep, h2 + table, h3 + table { break-before: avoid; }
"""
