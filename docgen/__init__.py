"""docgen: the township annual work summary (乡镇年度工作总结) as a Word document."""
