<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MemoDialog</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>共 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot print: %1</source>
        <translation>无法打印：%1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Cannot show the preview: %1</source>
        <translation>无法显示预览：%1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Credit memo %1</source>
        <translation>授信调查报告 %1</translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation>授信调查报告</translation>
    </message>
    <message>
        <source>Memo does NOT verify</source>
        <translation>报告核验未通过</translation>
    </message>
    <message>
        <source>Verify a memo</source>
        <translation>核验报告</translation>
    </message>
    <message>
        <source>Not proven: compare the paper with the stored memo</source>
        <translation>未能证明：请将纸面与存档报告逐项核对</translation>
    </message>
    <message>
        <source>Memo verified</source>
        <translation>报告核验通过</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Preparing pages for the printer…</source>
        <translation>正在准备打印页面…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Rendering pages…</source>
        <translation>正在生成页面…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save memo as PDF</source>
        <translation>将报告另存为 PDF</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存至 %1</translation>
    </message>
    <message numerus="yes">
        <source>Sent %n page(s) to the printer</source>
        <translation>
            <numerusform>已向打印机发送 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>Paste or scan the code printed on a memo (LOANDESK-MEMO:…)</source>
        <translation>粘贴或扫描报告上印的核验码（LOANDESK-MEMO:…）</translation>
    </message>
    <message>
        <source>Printed memo&apos;s &amp;code:</source>
        <translation>纸质报告核验码(&amp;C)：</translation>
    </message>
    <message>
        <source>Verify code</source>
        <translation>核验</translation>
    </message>
    <message>
        <source>Verify a memo file</source>
        <translation>核验报告文件</translation>
    </message>
    <message>
        <source>Verify a memo file…</source>
        <translation>核验报告文件…</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>the printer could not be opened</source>
        <translation>无法打开打印机</translation>
    </message>
</context>
</TS>
