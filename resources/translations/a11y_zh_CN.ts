<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>WindowNames</name>
    <message>
        <source>Search {page}</source>
        <translation>搜索{page}</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>Waiting to be sent</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Set aside by the hub</source>
        <translation>被中心搁置</translation>
    </message>
</context>
<context>
    <name>SelfCheckDialog</name>
    <message>
        <source>Self-check results</source>
        <translation>自检结果</translation>
    </message>
</context>
<context>
    <name>ListImportDialog</name>
    <message>
        <source>Field for the column {header}</source>
        <translation>“{header}”列对应的字段</translation>
    </message>
    <message>
        <source>Column mapping</source>
        <translation>列与字段的对应</translation>
    </message>
    <message>
        <source>Rows with a problem</source>
        <translation>有问题的行</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
</context>
<context>
    <name>ConflictInbox</name>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Value to keep</source>
        <translation>要保留的值</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>{date} (commit {commit})</source>
        <translation>{date}（提交 {commit}）</translation>
    </message>
    <message>
        <source>no build: a source checkout (last commit {date}, {commit})</source>
        <translation>无（从源代码运行，非构建版本；最近提交：{date}，{commit}）</translation>
    </message>
    <message>
        <source>no build: a source checkout</source>
        <translation>无（从源代码运行，非构建版本）</translation>
    </message>
    <message>
        <source>not recorded: installed from the package on {date}</source>
        <translation>未记录（以软件包安装，安装于 {date}）</translation>
    </message>
    <message>
        <source>not recorded: installed from the package</source>
        <translation>未记录（以软件包安装）</translation>
    </message>
    <message>
        <source>unknown: the build record cannot be read</source>
        <translation>不详：无法读取构建记录</translation>
    </message>
</context>
</TS>
