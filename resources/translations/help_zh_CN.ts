<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HelpViewer</name>
    <message>
        <source>Loan Desk user guide</source>
        <translation>信贷工作台使用指南</translation>
    </message>
    <message>
        <source>Find in the guide (e.g. credit code, sync, memo)</source>
        <translation>在指南中查找（如：信用代码、同步、报告）</translation>
    </message>
    <message>
        <source>Find in the guide</source>
        <translation>在指南中查找</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Guide text</source>
        <translation>指南正文</translation>
    </message>
    <message>
        <source>Loading the guide…</source>
        <translation>正在载入指南…</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>返回(&amp;B)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The user guide is missing from this installation.</source>
        <translation>本机安装中缺少使用指南。</translation>
    </message>
    <message numerus="yes">
        <source>%n topic(s)</source>
        <translation>
            <numerusform>%n 个主题</numerusform></translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <source>&amp;User guide</source>
        <translation>使用指南(&amp;U)</translation>
    </message>
    <message>
        <source>The guide for tellers and field officers, at the page for this screen</source>
        <translation>柜员和客户经理使用指南，直接打开当前页面的说明</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Loan Desk</source>
        <translation>关于信贷工作台</translation>
    </message>
    <message>
        <source>Loan Desk {version}</source>
        <translation>信贷工作台 {version}</translation>
    </message>
    <message>
        <source>Offline intake, scoring and credit memos for first-loan small and micro enterprises.</source>
        <translation>面向首贷小微企业的离线受理、评分和授信调查报告。</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Build date</source>
        <translation>构建日期</translation>
    </message>
    <message>
        <source>Rule pack in force</source>
        <translation>现行规则包</translation>
    </message>
    <message>
        <source>Data home</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>占用空间</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>Write an encrypted copy of the data home to a file, e.g. on a USB drive</source>
        <translation>把数据目录的加密副本写入一个文件，例如存到移动硬盘</translation>
    </message>
    <message>
        <source>Backup progress</source>
        <translation>备份进度</translation>
    </message>
    <message>
        <source>&amp;Cancel backup</source>
        <translation>取消备份(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{name} {version} ({id}), valid {start} to {end}: {status}</source>
        <translation>{name} {version}（{id}），有效期 {start} 至 {end}：{status}</translation>
    </message>
    <message>
        <source>unknown: the store is not open</source>
        <translation>未知：数据库未打开</translation>
    </message>
    <message>
        <source>unknown: {error}</source>
        <translation>未知：{error}</translation>
    </message>
    <message>
        <source>Back up the data home</source>
        <translation>备份数据目录</translation>
    </message>
    <message>
        <source>Loan Desk backups (*.zip)</source>
        <translation>信贷工作台备份 (*.zip)</translation>
    </message>
    <message>
        <source>Backing up to {path}…</source>
        <translation>正在备份到 {path}…</translation>
    </message>
    <message>
        <source>Cancelling: the copy under way is finished, then deleted…</source>
        <translation>正在取消：正在进行的复制完成后即删除…</translation>
    </message>
    <message>
        <source>Backup cancelled: no file was kept.</source>
        <translation>备份已取消：未保留任何文件。</translation>
    </message>
    <message>
        <source>Backed up to {path} ({size}): {ents} enterprises, {apps} applications, {files} attachments.</source>
        <translation>已备份到 {path}（{size}）：{ents} 家企业、{apps} 笔申请、{files} 个附件。</translation>
    </message>
    <message>
        <source>The backup holds the key ring, not the key: restoring it needs a user's password.</source>
        <translation>备份含密钥环而不含明文密钥：恢复时需要用户密码。</translation>
    </message>
    <message>
        <source>The backup does not hold the key: restoring it needs {key}; keep a copy of that file apart from the backup.</source>
        <translation>备份中不含密钥：恢复时需要 {key}，请将该文件另行妥善保管，勿与备份放在一起。</translation>
    </message>
    <message>
        <source>Not backed up: {error}</source>
        <translation>未备份：{error}</translation>
    </message>
</context>
</TS>
