<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>WorkQueuePage</name>
    <message>
        <source>My work</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <source>Filter the queue by reference or enterprise (Ctrl+F)</source>
        <translation>按编号或企业名称筛选待办（Ctrl+F）</translation>
    </message>
    <message>
        <source>Filter the queue</source>
        <translation>筛选待办</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the queue again</source>
        <translation>重新读取待办</translation>
    </message>
    <message>
        <source>Work queue</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Nothing is waiting for you. New work shows here as it arrives.</source>
        <translation>暂无待办。新的工作到来时会显示在这里。</translation>
    </message>
    <message>
        <source>Unsaved drafts</source>
        <translation>未保存的草稿</translation>
    </message>
    <message>
        <source>Waiting for my decision (score)</source>
        <translation>待我评分决策</translation>
    </message>
    <message>
        <source>Waiting for my approval</source>
        <translation>待我审批</translation>
    </message>
    <message>
        <source>Overrides to confirm</source>
        <translation>待复核的调整申请</translation>
    </message>
    <message>
        <source>Set aside by the hub</source>
        <translation>被总行中心搁置</translation>
    </message>
    <message>
        <source>Visits due and overdue</source>
        <translation>到期及逾期走访</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>……另有 {n} 项</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>共 %n 项待办</numerusform>
        </translation>
    </message>
    <message>
        <source>changes to {ref}</source>
        <translation>{ref} 的修改</translation>
    </message>
    <message>
        <source>new intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <source>(no enterprise name yet)</source>
        <translation>（尚未填写企业名称）</translation>
    </message>
    <message>
        <source>{amount} yuan requested</source>
        <translation>申请 {amount} 元</translation>
    </message>
    <message>
        <source>{decision}, grade {grade}, limit {limit} yuan</source>
        <translation>{decision}，等级 {grade}，额度 {limit} 元</translation>
    </message>
    <message>
        <source>{officer} asks: {old} → {new}</source>
        <translation>{officer} 申请：{old} → {new}</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>{date} (overdue)</source>
        <translation>{date}（已逾期）</translation>
    </message>
    <message>
        <source>The hub holds this operation with other content (was this data home copied from another computer?)</source>
        <translation>中心已有此编号但内容不同（本数据目录是否由他机复制？）</translation>
    </message>
</context>
<context>
    <name>WorkQueue</name>
    <message>
        <source>Error: </source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>{ref} is no longer on file.</source>
        <translation>{ref} 已不在记录中。</translation>
    </message>
</context>
<context>
    <name>ModeSwitch</name>
    <message>
        <source>&amp;Mode</source>
        <translation>工作模式(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Standard</source>
        <translation>标准(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Teller (counter)</source>
        <translation>柜员（柜台）(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Field (visits)</source>
        <translation>外勤（走访）(&amp;F)</translation>
    </message>
    <message>
        <source>Lists, forms and the score panel side by side</source>
        <translation>列表、表单与评分面板并排显示</translation>
    </message>
    <message>
        <source>Large type and function keys for the counter: F2 look up, F3 new application, F4 score, F5 print memo, Esc back</source>
        <translation>柜台用大字体和功能键：F2 查询，F3 新建申请，F4 评分，F5 打印报告，Esc 返回</translation>
    </message>
    <message>
        <source>Visits, photos and sync first, for officers out on visits</source>
        <translation>走访、照片和同步优先，供外出走访的客户经理使用</translation>
    </message>
</context>
<context>
    <name>TellerMode</name>
    <message>
        <source>F2 Look up</source>
        <translation>F2 查询</translation>
    </message>
    <message>
        <source>Find the customer's application: name, credit code, phone or A- reference</source>
        <translation>查找客户的申请：名称、统一社会信用代码、电话或 A- 编号</translation>
    </message>
    <message>
        <source>F3 New application</source>
        <translation>F3 新建申请</translation>
    </message>
    <message>
        <source>Start a new intake</source>
        <translation>开始新的受理</translation>
    </message>
    <message>
        <source>F4 Score</source>
        <translation>F4 评分</translation>
    </message>
    <message>
        <source>Score the chosen application and see the decision before it is kept</source>
        <translation>为所选申请评分，先查看结论再保存</translation>
    </message>
    <message>
        <source>F5 Print memo</source>
        <translation>F5 打印报告</translation>
    </message>
    <message>
        <source>Issue or show the credit memo, preview and print it</source>
        <translation>出具或查看授信调查报告，预览并打印</translation>
    </message>
    <message>
        <source>Esc Back</source>
        <translation>Esc 返回</translation>
    </message>
    <message>
        <source>Back to the look-up</source>
        <translation>返回查询</translation>
    </message>
    <message>
        <source>Function keys</source>
        <translation>功能键</translation>
    </message>
    <message>
        <source>Save the intake first (Ctrl+S); then F4 scores it.</source>
        <translation>请先保存受理（Ctrl+S），再按 F4 评分。</translation>
    </message>
    <message>
        <source>Choose an application first: F2 to look it up, arrows to choose.</source>
        <translation>请先选择申请：按 F2 查询，用方向键选择。</translation>
    </message>
</context>
<context>
    <name>FieldMode</name>
    <message>
        <source>Field work</source>
        <translation>外勤工作</translation>
    </message>
    <message>
        <source>Record &amp;visit… (F6)</source>
        <translation>登记走访(&amp;V)…（F6）</translation>
    </message>
    <message>
        <source>Record a visit to the enterprise chosen in My list, with photos</source>
        <translation>为“我的名单”中所选企业登记走访，可附照片</translation>
    </message>
    <message>
        <source>Sync now (F9)</source>
        <translation>立即同步（F9）</translation>
    </message>
    <message>
        <source>Send what is waiting to head office and fetch what is new</source>
        <translation>将待发送的数据发往总行并获取新数据</translation>
    </message>
    <message>
        <source>Sync panel…</source>
        <translation>同步面板…</translation>
    </message>
    <message>
        <source>Sync: reading…</source>
        <translation>同步：读取中…</translation>
    </message>
    <message>
        <source>Not enrolled with head office: all work is kept on this laptop</source>
        <translation>尚未在总行注册：所有工作都保存在本机</translation>
    </message>
    <message>
        <source>hub reachable</source>
        <translation>中心可连接</translation>
    </message>
    <message>
        <source>hub not reachable</source>
        <translation>中心无法连接</translation>
    </message>
    <message>
        <source>hub not checked yet</source>
        <translation>尚未检查中心</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Sync: {reach} · {waiting} waiting · {held} set aside · last sync {last}</source>
        <translation>同步：{reach} · 待发送 {waiting} 项 · 搁置 {held} 项 · 最近同步 {last}</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <source>Preparing the translations…</source>
        <translation>正在准备翻译…</translation>
    </message>
</context>
</TS>
