<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ListImportDialog</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Import enterprise list</source>
        <translation>导入企业名单</translation>
    </message>
    <message>
        <source>CSV (UTF-8, GBK, GB18030) or Excel (.xlsx)</source>
        <translation>CSV（UTF-8、GBK、GB18030）或 Excel（.xlsx）</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>List file:</source>
        <translation>名单文件：</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Lists (*.csv *.xlsx);;All files (*)</source>
        <translation>名单 (*.csv *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the list file first.</source>
        <translation>请先选择名单文件。</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>Loan Desk field</source>
        <translation>对应字段</translation>
    </message>
    <message>
        <source>First value</source>
        <translation>首行的值</translation>
    </message>
    <message>
        <source>Preview of the first rows as mapped:</source>
        <translation>按当前对应关系预览前几行：</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>— skip this column —</source>
        <translation>— 不导入此列 —</translation>
    </message>
    <message>
        <source>{rows} rows, {columns} columns; {unknown} column(s) not recognised: choose their field or skip them.</source>
        <translation>共 {rows} 行、{columns} 列；{unknown} 列未能识别：请选择对应字段或不导入。</translation>
    </message>
    <message>
        <source>Two columns are mapped to {field}: map one of them or skip it.</source>
        <translation>有两列都对应到“{field}”：请只保留其中一列。</translation>
    </message>
    <message>
        <source>Map a column to {field}: a list cannot be imported without it.</source>
        <translation>请指定“{field}”对应的列：名单缺少该列无法导入。</translation>
    </message>
    <message>
        <source>Importing… the list is written as one whole: Cancel leaves the store exactly as it was.</source>
        <translation>正在导入…名单整体写入：取消后数据保持导入前的原样。</translation>
    </message>
    <message>
        <source>&amp;Cancel import</source>
        <translation>取消导入(&amp;C)</translation>
    </message>
    <message>
        <source>Cancelling: rolling the import back…</source>
        <translation>正在取消：撤销本次导入…</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was written.</source>
        <translation>已取消导入：未写入任何数据。</translation>
    </message>
    <message>
        <source>Every row was rejected: nothing was imported. Save the report to see why.</source>
        <translation>所有行均被拒绝，未导入任何数据。请保存报告查看原因。</translation>
    </message>
    <message>
        <source>{imported} imported, {updated} updated, {unchanged} unchanged, {rejected} rejected, {warned} with warnings, {duplicates} duplicate rows superseded (of {rows} rows).</source>
        <translation>新增 {imported}，更新 {updated}，无变化 {unchanged}，拒绝 {rejected}，有警告 {warned}，重复行被覆盖 {duplicates}（共 {rows} 行）。</translation>
    </message>
    <message>
        <source>&amp;Save report…</source>
        <translation>保存报告(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Save import report</source>
        <translation>保存导入报告</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Report saved to {path}</source>
        <translation>报告已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>ListImportMenu</name>
    <message>
        <source>&amp;Import enterprise list…</source>
        <translation>导入企业名单(&amp;I)…</translation>
    </message>
    <message>
        <source>Import a regulator's or head office's list of enterprises (CSV or Excel)</source>
        <translation>导入监管部门或总行下发的企业名单（CSV 或 Excel）</translation>
    </message>
</context>
</TS>
