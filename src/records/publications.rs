//! Publication deadlines of TTHC decisions (công bố danh mục TTHC, quy trình nội bộ):
//! on time or late by N working days per provincial decision, and the ratios that feed
//! the matching criteria. Work in progress.
