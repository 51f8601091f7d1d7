-- description: What chapter 00_overview shows as its query heads, computed here: the chapter's block only selects (and orders) these columns.
-- chapter: 00_overview
-- grain: one row (the chapter reads its first row)
-- the headings of section 三: the head of each area's first finding (report_findings)
SELECT
  coalesce(max(head) FILTER (WHERE chapter = 1 AND chapter_rank = 1), '市场主体。') AS market,
  coalesce(max(head) FILTER (WHERE chapter = 2 AND chapter_rank = 1), '诉求办理。') AS appeals,
  coalesce(max(head) FILTER (WHERE chapter = 3 AND chapter_rank = 1), '创新积分评价。') AS innovation,
  coalesce(max(head) FILTER (WHERE chapter = 4 AND chapter_rank = 1), '公益捐赠。') AS welfare,
  coalesce(max(head) FILTER (WHERE chapter = 5 AND chapter_rank = 1), '商会建设。') AS chambers
FROM report_findings
