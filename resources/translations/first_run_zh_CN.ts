<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AdminPage</name>
        <message>
            <source>The branch administrator</source>
            <translation>网点管理员</translation>
        </message>
        <message>
            <source>The administrator then adds tellers, officers and approvers.</source>
            <translation>管理员随后可添加柜员、客户经理和审批人。</translation>
        </message>
        <message>
            <source>This data home was made before user accounts. Create its administrator: the store's key is then protected by the password. Nothing already stored is lost.</source>
            <translation>该数据目录创建于启用用户账户之前。请创建其管理员：数据库密钥随后由该密码保护，已存数据不会丢失。</translation>
        </message>
        <message>
            <source>This data home has no users yet. Create the branch administrator; the password protects every applicant's data, so keep it safe.</source>
            <translation>该数据目录尚无用户。请创建网点管理员；该密码保护所有申请人的数据，请妥善保管。</translation>
        </message>
        <message>
            <source>&amp;User name:</source>
            <translation>用户名(&amp;U)：</translation>
        </message>
        <message>
            <source>2-32 lower-case letters, digits, . _ -, starting with a letter</source>
            <translation>2-32 位小写字母、数字或 . _ -，以字母开头</translation>
        </message>
        <message>
            <source>&amp;Full name:</source>
            <translation>姓名(&amp;F)：</translation>
        </message>
        <message>
            <source>as printed on memos, e.g. 王芳</source>
            <translation>报告上打印的姓名，例如 王芳</translation>
        </message>
    </context>
    <context>
        <name>BranchPage</name>
        <message>
            <source>Bank and branch</source>
            <translation>银行与网点</translation>
        </message>
        <message>
            <source>Printed at the top of every credit memo.</source>
            <translation>打印在每份授信调查报告的抬头。</translation>
        </message>
        <message>
            <source>This data home keeps its branch code: its reference numbers already use it.</source>
            <translation>本数据目录保留原网点代码：已有编号均使用该代码。</translation>
        </message>
        <message>
            <source>The branch code starts every reference number (e.g. A-HZ01-…) and cannot be changed once the first record is saved.</source>
            <translation>网点代码位于每个编号的开头（例如 A-HZ01-…），保存第一条记录后不能再更改。</translation>
        </message>
        <message>
            <source>&amp;Bank name:</source>
            <translation>银行名称(&amp;B)：</translation>
        </message>
        <message>
            <source>e.g. 示范农村商业银行</source>
            <translation>例如 示范农村商业银行</translation>
        </message>
        <message>
            <source>Branch &amp;name:</source>
            <translation>网点名称(&amp;N)：</translation>
        </message>
        <message>
            <source>e.g. 杭州西湖支行</source>
            <translation>例如 杭州西湖支行</translation>
        </message>
        <message>
            <source>Branch &amp;code:</source>
            <translation>网点代码(&amp;C)：</translation>
        </message>
        <message>
            <source>2-8 capital letters or digits, e.g. HZ01</source>
            <translation>2-8 位大写字母或数字，例如 HZ01</translation>
        </message>
    </context>
    <context>
        <name>DemoPage</name>
        <message>
            <source>Demo data</source>
            <translation>演示数据</translation>
        </message>
        <message>
            <source>Try Loan Desk on made-up enterprises first, or start with real work.</source>
            <translation>可先用虚构企业试用信贷工作台，也可直接开始实际工作。</translation>
        </message>
        <message>
            <source>Demo records are clearly made up; an administrator can add them later too (File &gt; Add demo data…).</source>
            <translation>演示记录均为虚构；管理员以后也可添加（文件 &gt; 添加演示数据…）。</translation>
        </message>
        <message>
            <source>&amp;Add {n} demo enterprises and applications</source>
            <translation>添加 {n} 家演示企业及申请(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Start empty</source>
            <translation>从空白开始(&amp;S)</translation>
        </message>
    </context>
    <context>
        <name>FirstRunWizard</name>
        <message>
            <source>Loan Desk — first start</source>
            <translation>信贷工作台 — 首次启动</translation>
        </message>
        <message>
            <source>&amp;Next &gt;</source>
            <translation>下一步(&amp;N) &gt;</translation>
        </message>
        <message>
            <source>&lt; &amp;Back</source>
            <translation>&lt; 上一步(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;Finish</source>
            <translation>完成(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>Creating the data home and its administrator…</source>
            <translation>正在创建数据目录及管理员…</translation>
        </message>
    </context>
    <context>
        <name>HubPage</name>
        <message>
            <source>Head office</source>
            <translation>总行</translation>
        </message>
        <message>
            <source>Where this branch sends its work, if it does.</source>
            <translation>本网点数据发送到何处（如需发送）。</translation>
        </message>
        <message>
            <source>Loan Desk works offline; a head-office hub receives the branch's records when this computer can reach it.</source>
            <translation>信贷工作台可离线工作；本机能连接总行中心时，网点记录将发送至总行中心。</translation>
        </message>
        <message>
            <source>&amp;Offline only (no head-office hub for now)</source>
            <translation>仅离线使用（暂不连接总行中心）(&amp;O)</translation>
        </message>
        <message>
            <source>Send to the head-office &amp;hub at this address:</source>
            <translation>发送至以下地址的总行中心(&amp;H)：</translation>
        </message>
        <message>
            <source>Hub &amp;address:</source>
            <translation>中心地址(&amp;A)：</translation>
        </message>
        <message>
            <source>Enrolling needs a one-time code from head office: after the first start, choose Sync &gt; Enrol with head office… (the address is filled in).</source>
            <translation>注册需要总行提供的一次性注册码：首次启动后，请选择 同步 &gt; 在总行中心注册…（地址已自动填入）。</translation>
        </message>
    </context>
    <context>
        <name>LanguagePage</name>
        <message>
            <source>Welcome to Loan Desk</source>
            <translation>欢迎使用信贷工作台</translation>
        </message>
        <message>
            <source>A few questions before the first start. Nothing is saved until you finish.</source>
            <translation>首次启动前请回答几个问题。点击“完成”之前不会保存任何内容。</translation>
        </message>
        <message>
            <source>Choose the language of Loan Desk on this computer. It can be changed later in View &gt; Language.</source>
            <translation>请选择本机信贷工作台的界面语言。以后可在 查看 &gt; 语言 中更改。</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>语言(&amp;L)：</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>&amp;Bank name:</source>
            <translation>银行名称(&amp;B)：</translation>
        </message>
        <message>
            <source>Branch &amp;name:</source>
            <translation>网点名称(&amp;N)：</translation>
        </message>
        <message>
            <source>Reference numbers carry it; it cannot be changed.</source>
            <translation>编号中含有该代码，不能更改。</translation>
        </message>
        <message>
            <source>Branch code:</source>
            <translation>网点代码：</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>语言(&amp;L)：</translation>
        </message>
        <message>
            <source>&amp;Offline only</source>
            <translation>仅离线使用(&amp;O)</translation>
        </message>
        <message>
            <source>Head-office &amp;hub:</source>
            <translation>总行中心(&amp;H)：</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>empty: as in the memo template, {name}</source>
            <translation>留空则使用报告模板中的名称：{name}</translation>
        </message>
        <message>
            <source>This device is enrolled with this hub; head office moves it to another.</source>
            <translation>本设备已在该中心注册；如需更换中心，请联系总行。</translation>
        </message>
        <message>
            <source>Enrolling needs a one-time code from head office (Sync &gt; Enrol with head office…).</source>
            <translation>注册需要总行提供的一次性注册码（同步 &gt; 在总行中心注册…）。</translation>
        </message>
        <message>
            <source>Settings saved.</source>
            <translation>设置已保存。</translation>
        </message>
    </context>
    <context>
        <name>SettingsUI</name>
        <message>
            <source>Se&amp;ttings…</source>
            <translation>设置(&amp;T)…</translation>
        </message>
    </context>
</TS>