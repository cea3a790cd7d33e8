<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SelfCheckDialog</name>
    <message>
        <source>Self-check</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Loan Desk checks this installation in a temporary data home of its own: your data is not opened or changed.</source>
        <translation>信贷工作台将在一个临时数据目录中检查本机安装：不会打开或改动您的数据。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Run &amp;again</source>
        <translation>重新检查(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Copy results</source>
        <translation>复制结果(&amp;C)</translation>
    </message>
    <message>
        <source>Checking… ({count} checks)</source>
        <translation>正在检查…（共 {count} 项）</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>{n} of {count} checks failed: {names}. Copy the results for the help desk.</source>
        <translation>{count} 项检查中有 {n} 项失败：{names}。请复制结果发给技术支持。</translation>
    </message>
    <message>
        <source>All {count} checks passed.</source>
        <translation>全部 {count} 项检查均已通过。</translation>
    </message>
</context>
</TS>
