<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApplicationTableModel</name>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Limit (yuan)</source>
        <translation>额度（元）</translation>
    </message>
    <message>
        <source>Memo issued</source>
        <translation>已出报告</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>申请金额（元）</translation>
    </message>
    <message>
        <source>Term (months)</source>
        <translation>期限（月）</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>贷款产品</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Scored</source>
        <translation>已评分</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已同意</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
</context>
<context>
    <name>DemoLoader</name>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Adding {count} demo enterprises…</source>
        <translation>正在添加 {count} 家演示企业…</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Demo data could not be added: {error}</source>
        <translation>演示数据未能添加：{error}</translation>
    </message>
</context>
<context>
    <name>DraftsDialog</name>
    <message>
        <source>Unsaved drafts</source>
        <translation>未保存的草稿</translation>
    </message>
    <message>
        <source>Loan Desk found entries that were typed but not saved. Restore them to carry on.</source>
        <translation>发现已录入但尚未保存的内容。恢复后可继续录入。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>(no enterprise name yet)</source>
        <translation>（尚未填写企业名称）</translation>
    </message>
    <message>
        <source>changes to {ref}</source>
        <translation>对 {ref} 的修改</translation>
    </message>
    <message>
        <source>new intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <source>{name} — {what}, last edited {when}</source>
        <translation>{name} — {what}，最后编辑于 {when}</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <source>An enterprise with this credit code is already on file. Open it, or add this application to it instead of making a second record.</source>
        <translation>已有使用此统一社会信用代码的企业在册。请打开该企业，或将本次申请归入该企业，不要重复建档。</translation>
    </message>
    <message>
        <source>The legal representative already represents these enterprises on file. Open one, or save this enterprise as a new record.</source>
        <translation>该法定代表人已是以下在册企业的法定代表人。可打开其中一家，或将本企业另行建档。</translation>
    </message>
    <message>
        <source>Save as a &amp;new enterprise</source>
        <translation>另行建档(&amp;N)</translation>
    </message>
    <message>
        <source>Adding the application updates the enterprise on file: its name changes from “{old}” to “{new}”.</source>
        <translation>归入后将更新在册企业信息：名称由“{old}”改为“{new}”。</translation>
    </message>
    <message>
        <source>Already on file</source>
        <translation>已有记录</translation>
    </message>
    <message>
        <source>same credit code</source>
        <translation>信用代码相同</translation>
    </message>
    <message>
        <source>same legal representative ID</source>
        <translation>法定代表人身份证号相同</translation>
    </message>
    <message>
        <source>&amp;Open existing</source>
        <translation>打开已有记录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Add this application to it</source>
        <translation>将本申请归入该企业(&amp;A)</translation>
    </message>
</context>
<context>
    <name>EnterpriseTableModel</name>
    <message>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Tax grade</source>
        <translation>纳税信用等级</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Revenue (yuan)</source>
        <translation>营业收入（元）</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>成立日期</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <source>Another enterprise on file has this credit code: {names}</source>
        <translation>已有另一家企业使用此统一社会信用代码：{names}</translation>
    </message>
    <message>
        <source>Application {ref}</source>
        <translation>贷款申请 {ref}</translation>
    </message>
    <message>
        <source>New intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the record (Ctrl+S)</source>
        <translation>保存记录（Ctrl+S）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close; unsaved edits are kept as a draft (Esc)</source>
        <translation>关闭；未保存的内容保留为草稿（Esc）</translation>
    </message>
    <message>
        <source>The score appears here once scoring is installed.</source>
        <translation>安装评分功能后，评分结果显示在此处。</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Masked: press Show to see or change it</source>
        <translation>已脱敏：点击“显示”查看或修改</translation>
    </message>
    <message>
        <source>Tax data and credit report queries for this application</source>
        <translation>本次授信的涉税信息及征信报告查询</translation>
    </message>
    <message>
        <source>enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>individual business</source>
        <translation>个体工商户</translation>
    </message>
    <message>
        <source>farmers' cooperative</source>
        <translation>农民专业合作社</translation>
    </message>
    <message>
        <source>Entity type: {kind}</source>
        <translation>主体类型：{kind}</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>SME size: {size}</source>
        <translation>企业规模：{size}</translation>
    </message>
    <message>
        <source>(from the code and figures)</source>
        <translation>（根据代码和经营数据得出）</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s): </source>
        <translation>
            <numerusform>%n 处错误：</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Save is enabled once the required fields are filled in (%n still to complete).</source>
        <translation>
            <numerusform>填写完必填项后即可保存（还有 %n 项待完成）。</numerusform></translation>
    </message>
    <message>
        <source>The score appears once you have filled in a field.</source>
        <translation>填写任一字段后显示评分。</translation>
    </message>
    <message>
        <source>The store is still opening…</source>
        <translation>数据库仍在打开…</translation>
    </message>
    <message>
        <source>Attach documents</source>
        <translation>添加资料</translation>
    </message>
    <message>
        <source>Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic);;All files (*)</source>
        <translation>扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{name} (attached on save)</source>
        <translation>{name}（保存时添加）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Already on file</source>
        <translation>已有记录</translation>
    </message>
    <message>
        <source>Some documents were not attached</source>
        <translation>部分资料未能添加</translation>
    </message>
    <message>
        <source>The record {ref} is saved, but these files could not be attached:</source>
        <translation>记录 {ref} 已保存，但以下文件未能添加：</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The record was not saved; your entries are kept as a draft.
{error}</source>
        <translation>记录未保存；已录入的内容保留为草稿。
{error}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>This record has changes that are not saved.</source>
        <translation>此记录有尚未保存的修改。</translation>
    </message>
    <message>
        <source>&amp;Keep as draft</source>
        <translation>保留为草稿(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Discard changes</source>
        <translation>放弃修改(&amp;D)</translation>
    </message>
</context>
<context>
    <name>IntakeSections</name>
    <message>
        <source>On-site investigation</source>
        <translation>现场调查</translation>
    </message>
    <message>
        <source>What you saw on site: premises, stock, staff, customers, records checked</source>
        <translation>现场所见：经营场所、库存、员工、客户、核查的资料</translation>
    </message>
    <message>
        <source>Site &amp;notes</source>
        <translation>调查记录(&amp;N)</translation>
    </message>
    <message>
        <source>O&amp;fficer</source>
        <translation>客户经理(&amp;F)</translation>
    </message>
    <message>
        <source>your name, printed on the memo</source>
        <translation>您的姓名，将打印在报告上</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>yuan, e.g. 1,200,000 or 120万</source>
        <translation>元，例如 1,200,000 或 120万</translation>
    </message>
    <message>
        <source>Enterprise &amp;name</source>
        <translation>企业名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Credit code</source>
        <translation>统一社会信用代码(&amp;C)</translation>
    </message>
    <message>
        <source>18 characters, e.g. 91350100M000100Y43</source>
        <translation>18 位，例如 91350100M000100Y43</translation>
    </message>
    <message>
        <source>Chec&amp;k override reason</source>
        <translation>校验位例外说明(&amp;K)</translation>
    </message>
    <message>
        <source>Why this code is right although its check character differs</source>
        <translation>说明校验位不符但代码无误的原因</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>&amp;Industry</source>
        <translation>行业(&amp;I)</translation>
    </message>
    <message>
        <source>Region code</source>
        <translation>行政区划代码</translation>
    </message>
    <message>
        <source>6 digits, from the code</source>
        <translation>6 位数字，可由信用代码得出</translation>
    </message>
    <message>
        <source>Registered &amp;on</source>
        <translation>成立日期(&amp;O)</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日，如 2020-01-05</translation>
    </message>
    <message>
        <source>&amp;Employees</source>
        <translation>从业人员(&amp;E)</translation>
    </message>
    <message>
        <source>persons</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Annual re&amp;venue</source>
        <translation>营业收入(&amp;V)</translation>
    </message>
    <message>
        <source>Total &amp;assets</source>
        <translation>资产总额(&amp;A)</translation>
    </message>
    <message>
        <source>— unknown —</source>
        <translation>— 未知 —</translation>
    </message>
    <message>
        <source>&amp;Tax credit grade</source>
        <translation>纳税信用等级(&amp;T)</translation>
    </message>
    <message>
        <source>Tax paid, last &amp;12 months</source>
        <translation>近12个月纳税额(&amp;1)</translation>
    </message>
    <message>
        <source>Tax paid, last &amp;24 months</source>
        <translation>近24个月纳税额(&amp;2)</translation>
    </message>
    <message>
        <source>Invoiced sa&amp;les, 12 months</source>
        <translation>近12个月开票销售额(&amp;L)</translation>
    </message>
    <message>
        <source>Social insurance &amp;headcount</source>
        <translation>社保缴纳人数(&amp;H)</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>On the abnormal-operation list</source>
        <translation>列入经营异常名录</translation>
    </message>
    <message>
        <source>On the dishonest-debtor list</source>
        <translation>列入失信被执行人名单</translation>
    </message>
    <message>
        <source>Has had a bank loan before</source>
        <translation>有过银行贷款</translation>
    </message>
    <message>
        <source>Derived</source>
        <translation>推算</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation>显示(&amp;W)</translation>
    </message>
    <message>
        <source>Show or hide the personal data (masked by default)</source>
        <translation>显示或隐藏个人信息（默认脱敏）</translation>
    </message>
    <message>
        <source>Na&amp;me</source>
        <translation>姓名(&amp;M)</translation>
    </message>
    <message>
        <source>I&amp;D number</source>
        <translation>身份证号(&amp;D)</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18 位</translation>
    </message>
    <message>
        <source>Mo&amp;bile phone</source>
        <translation>手机号码(&amp;B)</translation>
    </message>
    <message>
        <source>11 digits</source>
        <translation>11 位数字</translation>
    </message>
    <message>
        <source>Loan request</source>
        <translation>贷款申请</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>贷款产品(&amp;P)</translation>
    </message>
    <message>
        <source>Amount (&amp;yuan)</source>
        <translation>申请金额（元）(&amp;Y)</translation>
    </message>
    <message>
        <source>e.g. 500,000 or 50万</source>
        <translation>例如 500,000 或 50万</translation>
    </message>
    <message>
        <source>Te&amp;rm (months)</source>
        <translation>申请期限（月）(&amp;R)</translation>
    </message>
    <message>
        <source>P&amp;urpose</source>
        <translation>贷款用途(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Guarantee</source>
        <translation>担保方式(&amp;G)</translation>
    </message>
    <message>
        <source>Credit (unsecured)</source>
        <translation>信用</translation>
    </message>
    <message>
        <source>Guarantee</source>
        <translation>保证</translation>
    </message>
    <message>
        <source>Collateral</source>
        <translation>抵押</translation>
    </message>
    <message>
        <source>Guarantee insurance</source>
        <translation>保证保险</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>查询授权</translation>
    </message>
    <message>
        <source>The applicant consents to &amp;querying tax and credit data</source>
        <translation>申请人已授权查询涉税信息和征信(&amp;Q)</translation>
    </message>
    <message>
        <source>Consent date</source>
        <translation>授权日期</translation>
    </message>
    <message>
        <source>Consent scope</source>
        <translation>授权范围</translation>
    </message>
    <message>
        <source>Business licence</source>
        <translation>营业执照</translation>
    </message>
    <message>
        <source>ID card of the legal representative</source>
        <translation>法定代表人身份证</translation>
    </message>
    <message>
        <source>Tax certificate</source>
        <translation>完税证明</translation>
    </message>
    <message>
        <source>Financial statements</source>
        <translation>财务报表</translation>
    </message>
    <message>
        <source>Site photos</source>
        <translation>现场照片</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>资料清单</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>添加…</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>找到 %n 条</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n records</source>
        <translation>
            <numerusform>共 %n 条</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loan Desk</source>
        <translation>信贷工作台</translation>
    </message>
    <message>
        <source>Error: </source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Enterprises</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>贷款申请</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Search name, credit code, legal representative or phone (Ctrl+F)</source>
        <translation>搜索企业名称、信用代码、法定代表人或电话（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search enterprise, legal representative, code, phone or A- reference</source>
        <translation>搜索企业名称、法定代表人、信用代码、电话或申请编号（A-…）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New intake</source>
        <translation>新建受理(&amp;N)</translation>
    </message>
    <message>
        <source>Unsaved &amp;drafts…</source>
        <translation>未保存的草稿(&amp;D)…</translation>
    </message>
    <message>
        <source>Add d&amp;emo data…</source>
        <translation>添加演示数据(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Enterprises</source>
        <translation>企业(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Applications</source>
        <translation>贷款申请(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Self-check…</source>
        <translation>自检(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;About Loan Desk</source>
        <translation>关于信贷工作台(&amp;A)</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Store not open</source>
        <translation>数据库未打开</translation>
    </message>
    <message>
        <source>The data store in {home} could not be opened:
{error}</source>
        <translation>无法打开 {home} 中的数据库：
{error}</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>No head-office hub is set up; all work is kept locally.</source>
        <translation>尚未设置总行服务，所有数据保存在本机。</translation>
    </message>
    <message>
        <source>Unsynced: {n}</source>
        <translation>待同步：{n}</translation>
    </message>
    <message>
        <source>That record is no longer on file.</source>
        <translation>该记录已不存在。</translation>
    </message>
    <message>
        <source>Saved {ref}</source>
        <translation>已保存 {ref}</translation>
    </message>
    <message>
        <source>No unsaved drafts.</source>
        <translation>没有未保存的草稿。</translation>
    </message>
    <message>
        <source>This data home is empty. Add {n} demo enterprises to try Loan Desk?</source>
        <translation>数据目录为空。是否添加 {n} 家演示企业试用信贷工作台？</translation>
    </message>
    <message>
        <source>Add &amp;demo data</source>
        <translation>添加演示数据(&amp;D)</translation>
    </message>
    <message>
        <source>Start a &amp;new intake</source>
        <translation>新建受理(&amp;N)</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>不用了</translation>
    </message>
    <message>
        <source>Added {n} demo enterprises.</source>
        <translation>已添加 {n} 家演示企业。</translation>
    </message>
    <message>
        <source>&amp;Score panel</source>
        <translation>评分面板(&amp;S)</translation>
    </message>
</context>
<context>
    <name>ApplicationActions</name>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Request &amp;override…</source>
        <translation>申请推翻决定(&amp;O)…</translation>
    </message>
    <message>
        <source>Ask for a different decision, with a reason; an approver confirms it</source>
        <translation>说明理由申请改变决定，由审批人确认</translation>
    </message>
    <message>
        <source>&amp;Confirm or reject override…</source>
        <translation>确认或驳回推翻申请(&amp;C)…</translation>
    </message>
    <message>
        <source>For approvers: decide on an override another officer asked for</source>
        <translation>审批人使用：处理其他客户经理提出的推翻申请</translation>
    </message>
    <message>
        <source>Credit &amp;memo…</source>
        <translation>授信调查报告(&amp;M)…</translation>
    </message>
    <message>
        <source>Issue the credit memo (or show the one on file), preview and print it</source>
        <translation>签发授信调查报告（或显示已存档的报告），预览并打印</translation>
    </message>
    <message>
        <source>&amp;Verify a memo file…</source>
        <translation>核验报告文件(&amp;V)…</translation>
    </message>
    <message>
        <source>Check a memo PDF against the memos issued here</source>
        <translation>将报告 PDF 与本机签发的报告核对</translation>
    </message>
    <message>
        <source>{ref}: {decision}, grade {grade}, limit {limit} yuan — decision recorded</source>
        <translation>{ref}：{decision}，评级 {grade}，额度 {limit} 元——已记录决定</translation>
    </message>
    <message>
        <source>Scoring {ref}…</source>
        <translation>正在为 {ref} 评分…</translation>
    </message>
    <message>
        <source>Not scored</source>
        <translation>未能评分</translation>
    </message>
    <message>
        <source>Request override</source>
        <translation>申请推翻决定</translation>
    </message>
    <message>
        <source>{ref} has no decision yet: score it first (Ctrl+D).</source>
        <translation>{ref} 尚无评分决定：请先评分（Ctrl+D）。</translation>
    </message>
    <message>
        <source>Override of {ref} sent to an approver</source>
        <translation>{ref} 的推翻申请已送审批人复核</translation>
    </message>
    <message>
        <source>Confirm override</source>
        <translation>确认推翻申请</translation>
    </message>
    <message>
        <source>No override of {ref} is waiting for an approver.</source>
        <translation>{ref} 没有待审批的推翻申请。</translation>
    </message>
    <message>
        <source>Override of {ref} confirmed</source>
        <translation>{ref} 的推翻申请已确认</translation>
    </message>
    <message>
        <source>Override of {ref} rejected</source>
        <translation>{ref} 的推翻申请已驳回</translation>
    </message>
    <message>
        <source>Preparing the memo for {ref}…</source>
        <translation>正在生成 {ref} 的报告…</translation>
    </message>
    <message>
        <source>Issued memo {memo} (version {version}) for {ref}</source>
        <translation>已为 {ref} 签发报告 {memo}（第 {version} 版）</translation>
    </message>
    <message>
        <source>Memo {memo} on file for {ref}</source>
        <translation>{ref} 的存档报告 {memo}</translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation>授信调查报告</translation>
    </message>
    <message>
        <source>Verify a memo file</source>
        <translation>核验报告文件</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot read {name}: {error}</source>
        <translation>无法读取 {name}：{error}</translation>
    </message>
    <message>
        <source>Memo verified</source>
        <translation>报告核验通过</translation>
    </message>
    <message>
        <source>Memo does NOT verify</source>
        <translation>报告核验未通过</translation>
    </message>
    <message>
        <source>&amp;Application</source>
        <translation>申请(&amp;A)</translation>
    </message>
    <message>
        <source>Score and &amp;record decision…</source>
        <translation>评分并记录决定(&amp;R)…</translation>
    </message>
    <message>
        <source>Score the saved application with the rule pack in force, see the result, and keep the decision</source>
        <translation>用现行规则包为已保存的申请评分，查看结果后再记录决定</translation>
    </message>
    <message>
        <source>&amp;Approve or decline…</source>
        <translation>审批(&amp;A)…</translation>
    </message>
    <message>
        <source>For approvers: approve with a limit and conditions, or decline with a reason; the approved memo is issued with it</source>
        <translation>审批人使用：核定额度和条件后同意，或说明理由拒绝；同时签发已审批的报告</translation>
    </message>
    <message>
        <source>Approve or decline</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>{ref}: {decision} by {name}, limit {limit} yuan; memo {memo} issued</source>
        <translation>{ref}：{name}审批{decision}，额度 {limit} 元；已签发报告 {memo}</translation>
    </message>
    <message>
        <source>{ref}: {decision} by {name}; memo {memo} issued</source>
        <translation>{ref}：{name}审批{decision}；已签发报告 {memo}</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
</context>
<context>
    <name>OverrideRequestDialog</name>
    <message>
        <source>Request override — {ref}</source>
        <translation>申请推翻决定——{ref}</translation>
    </message>
    <message>
        <source>Current decision: {decision}, grade {grade}, limit {limit} yuan</source>
        <translation>当前决定：{decision}，评级 {grade}，额度 {limit} 元</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Why the decision should be different (required)</source>
        <translation>为何应改变决定（必填）</translation>
    </message>
    <message>
        <source>&amp;New decision</source>
        <translation>新决定(&amp;N)</translation>
    </message>
    <message>
        <source>New &amp;limit (yuan)</source>
        <translation>新额度（元）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Officer</source>
        <translation>发起人(&amp;O)</translation>
    </message>
    <message>
        <source>An approver other than you must confirm the override before it takes effect.</source>
        <translation>须由您以外的审批人确认后，推翻才生效。</translation>
    </message>
    <message>
        <source>&amp;Send to approver</source>
        <translation>送审批人复核(&amp;S)</translation>
    </message>
    <message>
        <source>Give the reason for the override.</source>
        <translation>请填写推翻理由。</translation>
    </message>
    <message>
        <source>Give your name as the officer asking.</source>
        <translation>请填写发起人姓名。</translation>
    </message>
    <message>
        <source>The new limit is not an amount in yuan.</source>
        <translation>新额度不是有效的金额（元）。</translation>
    </message>
</context>
<context>
    <name>OverrideConfirmDialog</name>
    <message>
        <source>Confirm override — {ref}</source>
        <translation>确认推翻申请——{ref}</translation>
    </message>
    <message>
        <source>, limit {limit} yuan</source>
        <translation>，额度 {limit} 元</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Asked by</source>
        <translation>发起人</translation>
    </message>
    <message>
        <source>Asked at</source>
        <translation>发起时间</translation>
    </message>
    <message>
        <source>&amp;Approver</source>
        <translation>审批人(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>Con&amp;firm</source>
        <translation>确认(&amp;F)</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>驳回(&amp;J)</translation>
    </message>
    <message>
        <source>Give the approver's name.</source>
        <translation>请填写审批人姓名。</translation>
    </message>
    <message>
        <source>The approver must be someone other than the officer who asked.</source>
        <translation>审批人不能是发起人本人。</translation>
    </message>
    <message>
        <source>from {old} to {new}</source>
        <translation>由{old}改为{new}</translation>
    </message>
</context>
<context>
    <name>RecordDecisionDialog</name>
    <message>
        <source>Record decision — {ref}</source>
        <translation>记录决定 — {ref}</translation>
    </message>
    <message>
        <source>{amount} yuan</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <source>{rate}% a year</source>
        <translation>年利率 {rate}%</translation>
    </message>
    <message>
        <source>{n} months</source>
        <translation>{n} 个月</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>评级</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>额度</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>利率</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{name} already decided this application ({decision}). Recording a new decision sets that aside: the approver must decide again.</source>
        <translation>{name}已对本申请作出审批决定（{decision}）。记录新的决定将使该审批失效，须由审批人重新审批。</translation>
    </message>
    <message>
        <source>The override waiting for an approver is for the current decision; it will no longer apply.</source>
        <translation>待复核的推翻申请针对当前决定，记录新决定后将不再适用。</translation>
    </message>
    <message>
        <source>Nothing is stored until you record the decision.</source>
        <translation>点击“记录决定”之前不会保存任何内容。</translation>
    </message>
    <message>
        <source>&amp;Record decision</source>
        <translation>记录决定(&amp;R)</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Approve or decline — {ref}</source>
        <translation>审批 — {ref}</translation>
    </message>
    <message>
        <source>{name}: {amount} yuan for {n} months requested</source>
        <translation>{name}：申请 {amount} 元，期限 {n} 个月</translation>
    </message>
    <message>
        <source>&amp;Record decision and issue the memo</source>
        <translation>记录审批决定并签发报告(&amp;R)</translation>
    </message>
    <message>
        <source>Score result</source>
        <translation>评分结果</translation>
    </message>
    <message>
        <source>Not scored yet: score it and record the decision first (Ctrl+D).</source>
        <translation>尚未评分：请先评分并记录决定（Ctrl+D）。</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>grade</source>
        <translation>评级</translation>
    </message>
    <message>
        <source>Model's decision</source>
        <translation>模型结论</translation>
    </message>
    <message>
        <source>{decision}, limit {limit} yuan</source>
        <translation>{decision}，额度 {limit} 元</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>人工推翻</translation>
    </message>
    <message>
        <source>changed to {decision} by {officer}, confirmed by {approver}: {reason}</source>
        <translation>{officer}申请改为{decision}，{approver}已确认：{reason}</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待复核</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Credit memo</source>
        <translation>授信调查报告</translation>
    </message>
    <message>
        <source>No memo for this decision yet: the memo is issued with your decision.</source>
        <translation>当前决定尚无报告：记录审批决定时将一并签发。</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已审批</translation>
    </message>
    <message>
        <source>issued, awaiting approval</source>
        <translation>已签发，待审批</translation>
    </message>
    <message>
        <source>Memo {memo} (version {version}), {state}</source>
        <translation>报告 {memo}（第 {version} 版），{state}</translation>
    </message>
    <message>
        <source>Your decision</source>
        <translation>审批决定</translation>
    </message>
    <message>
        <source>e.g. 200000 or 20万</source>
        <translation>如 200000 或 20万</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>One condition per line (optional)</source>
        <translation>每行一条条件（可不填）</translation>
    </message>
    <message>
        <source>Why the application is declined (required)</source>
        <translation>拒绝的理由（必填）</translation>
    </message>
    <message>
        <source>Not the officer who scored or asked</source>
        <translation>不能是评分或发起推翻的客户经理</translation>
    </message>
    <message>
        <source>&amp;Limit (yuan)</source>
        <translation>额度（元）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Term</source>
        <translation>期限(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Conditions</source>
        <translation>审批条件(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>A&amp;pprover</source>
        <translation>审批人(&amp;P)</translation>
    </message>
    <message>
        <source>The limit is not an amount in yuan.</source>
        <translation>额度不是有效的金额（元）。</translation>
    </message>
    <message>
        <source>Annual rat&amp;e</source>
        <translation>年利率(&amp;E)</translation>
    </message>
</context>
<context>
    <name>DecisionDock</name>
    <message>
        <source>Score and decision</source>
        <translation>评分与决定</translation>
    </message>
</context>
</TS>
