"""Spot words that mean a member may be at risk, so we signpost help at once.

Deliberately simple and explainable: normalise the text, correct a few
distinctive misspelt words, then look for phrases about threats, self-harm,
stalking, doxxing or feeling unsafe. A false alarm costs one kind message;
a miss costs far more, but ordinary guidance questions ("is it safe to...",
"privacy settings", "safeguarding policy") must not trigger it.
"""

from __future__ import annotations

import re

SIGNPOST_TEXT = (
    "If you are in immediate danger or it's an emergency, call 999.\n"
    "You can talk to Samaritans free, any time, day or night, on 116 123.\n"
    "Education Support, the helpline for everyone working in education, is on 08000 562 561.\n"
    "You don't have to face this on your own."
)

# Distinctive words worth correcting when misspelt by one letter (two for long words).
_FUZZY_VOCAB = (
    "suicide", "suicidal", "myself", "threatened", "threatening", "frightened",
    "terrified", "address", "unsafe", "overdose", "violence", "assaulted",
)

_SAFE = r"(?:safe|saf|sfae|saef|sade)"
_FEEL = r"(?:fe+l|feal|fell|feels|feeling|feelin)"
_NOT_VIOLENT = (
    r"(?! (?:with|to) (?:a |an |the |my )?(?:complaint|complain|grievance|legal|disciplinary|"
    r"action|report|sue|tell|union|head|police|press|papers|ofsted|court|solicitor|lawyer|"
    r"sack|dismiss|suspend|go to|contact))"
)

_PATTERNS = [
    # self-harm and suicide
    r"\bsuicid(?:e|al)\b",
    r"\bkil+(?:ing)? my ?self\b",
    r"\bkms\b",
    r"\b(?:end|ending|take|taking) (?:my|my own) life\b",
    r"\bend(?:ing)? it all\b",
    r"\b(?:want|wanna|wanted) (?:to )?die\b",
    r"\bwish i (?:was|were) dead\b",
    r"\bbetter off (?:dead|without me)\b",
    r"\b(?:rather|sooner) (?:be dead|die)\b(?! of)",  # not "I'd rather die of embarrassment"
    r"\bwish i (?:could|would) (?:just )?die\b",
    r"\bwish i (?:wasnt|werent|was not|were not) (?:alive|here|around) any ?more\b",
    r"\b(?:self ?harm\w*|(?:harm|hurt|cut)(?:ing)? my ?self)\b",
    r"\boverdos\w*",
    r"\b(?:dont|do not|no longer) want to (?:live|be alive|be here|go on|exist)\b",
    r"\bno (?:point|reason) (?:in )?(?:living|going on|being alive)\b",
    r"\bnot worth living\b",
    r"\bcant (?:go|carry) on (?:any ?more|like this)\b",
    r"\b(?:thinking|thought|thoughts) (?:of|about) (?:ending|killing|hurting|harming)\b",
    # threats and violence
    r"\b(?:death|rape|bomb|violent) threats?\b",
    r"\bthreat\w* (?:of|with) (?:violence|harm|death)\b",
    (r"\bthreat\w*(?: \w+){0,6}? (?:kill|hurt|harm|stab|shoot|attack|beat|punch|rape|burn|bomb|"
    r"assault|batter|smash|hit|slap|kick|headbutt|glass|knife|find me|come (?:to|round|after|for))\b"),
    (r"\b(?:going to|gonna|wants? to|wanted to|said (?:he|she|they) (?:would|will)|theyd|theyll|hed|shed)"
    r" (?:kill|stab|shoot|rape|beat up|batter|hurt|attack) (?:me|you|my)\b"),
    # "said they'll come to my house and hurt me": a few words may stand between the promise and the harm
    (r"\b(?:said|says|saying|told me|warned|promised) (?:that )?(?:he|she|they|theyll|theyd|hell|shell|hed|shed)"
    r"(?: \w+){0,8}? (?:kill|stab|shoot|rape|beat|batter|hurt|harm|attack|smash|punch) (?:me|my|us)\b"),
    (r"\b(?:theyll|theyd|hell|shell|hed|shed|gonna|going to) (?:\w+ ){1,8}?(?:kill|stab|shoot|rape|beat|batter|"
    r"hurt|harm|attack|punch) (?:me|my|us)\b"),
    r"\b(?:threatened|threatening) me\b" + _NOT_VIOLENT,
    r"\b(?:been|being|was|were|am|im|feel|felt) threatened\b" + _NOT_VIOLENT,
    r"\bthreatening (?:messages?|comments?|posts?|emails?|texts?|calls?|letters?|notes?|dms?|behaviou?r)\b",
    r"\bthreats? (?:against|to) (?:me|my (?:life|family|safety|kids|children|home|house))\b",
    r"\b(?:assaulted|physically attacked|beat me up|beaten up|punched me|spat at me)\b",
    r"\bviolen(?:ce|t) (?:towards|against|to) me\b",
    r"\bin danger\b",
    (r"\b(?:fear\w*|scared|afraid|frightened|terrified|worried|concerned|anxious) (?:about|for) my "
    r"(?:personal |own )?(?:life|safety|family|kids|children)\b"),
    # stalking
    r"\bstal+k(?:ing|ed|er|ers|s|in|ng|ig)?\b",
    r"\bfollow\w* me (?:home|around|everywhere|about|to my (?:car|house|home))\b",
    (r"\b(?:(?:turn\w*|turned|showed|shows|showing) up|waiting|waited|hanging around|parked|sitting|"
    r"lurking|watching|standing) (?:at|outside|near|round|around|by|to) my "
    r"(?:house|home|flat|front door|door|address)\b"),
    r"\bwatching my (?:house|home|flat)\b",
    r"\b(?:knows?|found out|find out|worked out|know) where i live\b",
    # doxxing
    r"\bdox+(?:ed|ing|xed|xing)?\b",
    (r"\b(?:posted|shared|published|leaked|put up|revealed|gave out|given out|put out|"
    r"(?:keep|kept|are|is|been|was|were) (?:posting|sharing|publishing|leaking)) "
    r"(?:my|our) (?:home |house |personal )?(?:address|postcode|phone number|number|details|"
    r"kids school|childrens school)\b"),
    (r"\b(?:my|our) (?:home |house )?(?:address|postcode) (?:is |was |has been |have been |got |been )?"
    r"(?:posted|shared|published|leaked|online|out there|all over|on (?:facebook|instagram|twitter|"
    r"tiktok|x|whatsapp|snapchat|reddit|the internet|social media|a (?:group|page|forum)))\b"),
    (r"\b(?:posted|shared|put up|uploaded)\b.{0,30}\b(?:photos?|pictures?|pics?|images?) of my "
    r"(?:house|home|front door|street)\b"),
    # feeling unsafe
    (rf"\b(?:dont|do not|didnt|did not|no longer|doesnt|dnt|never) (?:really )?{_FEEL} "
    rf"(?:very |totally |completely |particularly |so )?{_SAFE}\b"),
    rf"\bnot {_FEEL} (?:very )?{_SAFE}\b",
    rf"\b{_FEEL} (?:very |so |really |quite |totally )?unsafe\b",
    r"\b(?:im|i am|i m|we are|were|my family is|my family are|my kids are) (?:not safe|unsafe)\b",
    r"\bnot safe (?:at|in) (?:home|my home|my house|school|work)\b",
    (r"\b(?:scared|afraid|frightened|terrified) (?:to|of) (?:go|going|leave|leaving|walk|walking|be|being)"
    r" (?:out|outside|home|to work|to school|into work|the house|alone)\b"),
]
# Said indirectly: the threats, watching, doxxing, assault, despair and means that people
# describe in their own words (developed on data/safety/danger.txt and distress.txt).
_ME = r"(?:me|her|him|us|you|my (?:family|kids|children|son|daughter|husband|wife|partner))"
_INDIRECT = [
    # threats said the way people say them
    r"\bwatch (?:your|my|her|his) back\b",
    r"\b(?:get|getting|got) what(?:s| is)? coming\b",
    r"\bpay (?:me|her|him|us|you) a visit\b",
    rf"\b(?:sort|sorting|deal with|dealing with|do|sort out) (?:{_ME}) (?:out|in|over|personally)\b",
    r"\b(?:sort|sorting) (?:me|her|him) out\b",
    r"\b(?:be|get|got|will be|would be) dealt with\b",
    r"\bdeal with (?:me|her|him) (?:personally|properly)\b",
    r"\bmake (?:me|her|him|you|us) (?:pay|suffer|regret)\b",
    r"\b(?:youll|you will|youd|you would|shell|she will|hell|he will) regret it\b",
    r"\bteach(?:ing)? (?:me|her|him|that teacher|the teacher|you) a lesson\b",
    r"\bput (?:me|her|him|you) in (?:hospital|a hospital|the ground|a box)\b",
    r"\b(?:break|smash|kick|cave|knock) (?:my|her|his|your) (?:legs?|face|head|teeth|skull) in\b",
    r"\b(?:break|smash) (?:my|her|his|your) (?:legs?|face|head|teeth|windows?|skull)\b",
    r"\bknock (?:me|her|him|you) out\b",
    r"\b(?:deserve|needs?|asking for|going to get|gonna get) a (?:beating|kicking|slap|smack|hiding)\b",
    r"\b(?:get|getting|be|been) jumped\b|\bjump (?:me|her|him)\b",
    r"\b(?:youre|your|you are|shes|she is|hes|he is) dead\b(?! (?:right|wrong|on|set|tired|serious|meat))",
    r"\bend (?:me|her|him)\b",
    r"\bhave a (?:word|chat) with (?:me|her|him)\b.*\b(?:didnt|doesnt|wasnt|not) (?:sound|mean|look) (?:like|friendly)",
    r"\baccidents happen\b",
    r"\b(?:careful|watch (?:out|myself|yourself|herself)) (?:crossing|when|walking|driving|on (?:my|your|her) way)\b",
    r"\bwatch (?:myself|yourself|herself|himself)\b",
    r"\b(?:wont|will not|not going to|never) (?:make it to|see|live to see) (?:the end of|christmas|another|next)\b",
    r"\b(?:family|kids|children|son|daughter) (?:will|would|are going to|gonna) (?:suffer|pay|get hurt|regret)\b",
    r"\b(?:wait|waits|waiting|waited|be waiting|lying in wait) (?:\w+ ){0,3}for (?:me|her|him|us)\b",
    r"\bgo(?:ing)? round (?:hers|his|mine|theirs|my house|her house|to hers|to mine)\b",
    r"\b(?:come|coming) (?:to|round to) (?:mine|hers|my house|my home|her house)\b",
    r"\b(?:throw|chuck|thrown) acid\b|\bacid (?:in|on) (?:my|her|his) face\b",
    r"\b(?:bray|batter|leather|deck|chin|glass|shank|stab|knife) (?:me|her|him)\b",
    r"\bnever walk again\b",
    r"\b(?:shame|pity) if (?:something|anything) (?:happened|happens|were to happen) to\b",
    r"\bsomething (?:bad )?(?:will |might |could )?happen(?:s|ed)? to (?:my|your|her|his) (?:kids|children|son|daughter|family)\b",
    r"\b(?:kids|children|son|daughter) (?:getting|get|gets) hurt\b",
    r"\b(?:snatch|take|grab|abduct|kidnap)\w* (?:my|her|his|your) (?:little )?(?:boy|girl|son|daughter|kids?|children|child)\b",
    r"\b(?:threatened|threatening|threats to|threat to) (?:my|her|his) (?:kids|children|son|daughter|family)\b",
    r"\b(?:burn|torch|petrol ?bomb|firebomb|set fire to)\w* (?:my|her|his|your|the) (?:house|home|flat|car|school|place)\b",
    r"\b(?:burn|burned|burnt) (?:my|her|the) (?:house|home|flat) down\b|\bburn (?:it|the place) down\b",
    r"\bset fire to\b|\bgo up nicely\b|\bwith (?:me|her|him) (?:still )?inside\b",
    r"\b(?:brick|rock|stone) through (?:my|her|the) window\b",
    r"\bsmash(?:ed)? (?:my|her) (?:car|windows?|windscreen|door)\b",
    r"\b(?:next (?:it ?ll|it will|time it ?ll|time it will|its) be (?:me|you|her)|(?:youre|your|you are|shes) next)\b",
    r"\b(?:house|home|flat|family) is next\b",
    r"\bbring(?:ing)? a (?:knife|gun|weapon|bat|blade)\b",
    r"\b(?:tick tock|not long now)\b",
    r"\b(?:in the back of a van|when (?:he|she|they) (?:gets?|get|finds?|find) me alone)\b",
    r"\b(?:sexual|sexually)\b.*\b(?:to me|do to me|when (?:he|they) (?:get|gets|find|finds) me)\b",
    r"\bsexual things\b",
    r"\bdo (?:stuff|things) to (?:me|her)\b|\bcorner (?:me|her)\b",
    r"\b(?:find|finds|found) (?:her|me) and (?:deal|sort|hurt|get)\b",
    r"\bhe ?d (?:wait|be waiting|get|hurt|kill|find)\b",
    r"\b(?:scared|afraid|frightened|terrified) (?:he|she|they|hell|shell|theyll) (?:will|ll|might|is going to|are going to)? ?(?:hit|hurt|attack|kill|stab|come)\b",
    # watched, followed, found
    r"\b(?:parks?|parked|parking|sits?|sitting|sat|waits?|waiting|waited|stands?|standing|hangs? around|hanging around|staring|lurking|loitering) (?:\w+ ){0,3}(?:outside|near|by|round|at the end of) (?:my|our|her) (?:house|home|flat|street|road|door|drive)\b",
    r"\b(?:outside|near|by) (?:my|our|her) (?:house|home|flat|door) (?:every|each|all) (?:night|day|evening|morning)\b",
    r"\b(?:silent|heavy breathing|anonymous|withheld) (?:phone )?calls?\b|\bringing with no one there\b|\bno one there\b.*\b(?:night|every)\b",
    r"\bcalls? at (?:\d|one|two|three|four) (?:am|in the morning)\b|\bcalls? (?:in the middle of|every|all) (?:the )?night\b",
    r"\b(?:were|we are|im|i am|always|still|theyre|they are) watching (?:you|her)\b",
    r"\b(?:asking|asked|rang|phoned|called) (?:\w+ ){0,4}(?:what time i (?:leave|finish|get)|which (?:exit|door|car|house)|where i (?:live|park))\b",
    r"\bwhich house (?:was|is) (?:mine|hers)\b|\bhere ?s where (?:she|he) lives\b|\bwhere (?:she|he|i) lives?\b",
    r"\b(?:took|taken|taking|sent|messaged|posted) (?:me )?(?:a |some )?(?:photos?|pictures?|pics?|videos?) of (?:me|my (?:house|home|front door|car|kids)) (?:walking|leaving|outside|in the (?:street|supermarket|shop|car park)|getting|at home|through)\b",
    r"\b(?:photos?|pictures?|pics?) of my (?:front door|house|home|car|street)\b",
    r"\b(?:spotted|found) (?:her|me)\b.*\b(?:whos going|who s going|go get|get her)\b",
    r"\bfollow(?:ed|ing|s)? me (?:round|around|home|to|into|everywhere|from)\b",
    r"\b(?:keeps|kept) (?:appearing|turning up|showing up) (?:wherever|everywhere|where) i\b",
    r"\b(?:someone|somebody|a man|a woman|people) (?:in|was in|has been in) (?:my|our) (?:garden|house|drive|yard|porch)\b|\bfootprints (?:in|on|by|round) (?:my|the) (?:garden|drive|path|lawn)\b",
    r"\b(?:know|knows|knew|found out|worked out|posted|commented) (?:where|which|what time|the route) (?:i|my|our) ?(?:live|lives|park|run|go|walk|leave|gym|house|home|car|daughter|son|kids?|children)\b",
    r"\bknow (?:which|what) (?:car|house|gym|route|bus|train|nursery|school) (?:is mine|i|my|she|he|her)\b",
    r"\bdriv(?:es|ing|en|e) past my (?:house|home|flat)\b",
    r"\b(?:asking|asked) for my (?:home )?address\b",
    # doxxing
    r"\b(?:my|her|our) (?:(?:personal |home |mobile )?(?:phone ?number|number|mobile|address|postcode|street|number ?plate|"
    r"car reg\w*|registration|reg)|house)\b (?:\w+ ){0,4}(?:(?:is|are|was|were|has been|have been|got|now|been|s) (?:\w+ ){0,2}"
    r"(?:posted|online|shared|put up|out there|all over|on (?:tiktok|facebook|fb|insta\w*|twitter|x|reddit|telegram|whatsapp|"
    r"snapchat|discord|a (?:local )?(?:community )?page|the comments|the post))|(?:posted|shared|put up|leaked|published)|"
    r"in the comments|and told (?:everyone|people))\b",
    r"\b(?:posted|shared|put up|named|put|posted online|put online) (?:\w+ ){0,3}(?:my|her|our) (?:\w+ ){0,2}(?:phone ?number|mobile|number|address|postcode|street|number ?plate|car reg\w*|registration|kids school|childrens school|sons school|daughters school|nursery)\b",
    r"\b(?:name|names) of (?:my|her) (?:kids|childrens|children s|sons|daughters) (?:\w+ )?(?:school|nursery)\b",
    r"\b(?:my|her) (?:kids|childrens|children s|sons|daughters) (?:primary )?(?:school|nursery) (?:is|was|are|has been|were) (?:in|on|named|posted|shared)\b",
    r"\bwhere my (?:mum|mother|dad|father|parents|kids|children|family) (?:lives?|live|go|goes)\b",
    r"\byou know what to do\b|\bkeep an eye out for (?:it|her|him|me)\b",
    r"\b(?:map pin|pinned (?:my|her) (?:house|street|location))\b",
    # assaulted
    r"\b(?:grabbed|pushed|shoved|pinned|slapped|punched|kicked|hit|headbutted|strangled|choked|spat at|spat on|tripped|"
    r"bit|scratched) me\b",
    r"\b(?:grabbed|pushed|shoved|pinned) me (?:by|against|into|onto|up)\b|\bgrabbed (?:me by )?(?:my|the) (?:arm|neck|hair|throat)\b",
    r"\b(?:got|was|been|i was) (?:hit|punched|slapped|kicked|attacked|assaulted|headbutted|strangled|beaten)\b",
    r"\b(?:threw|thrown|throwing) (?:\w+ ){0,2}(?:stones|rocks|eggs?|bottles?|bricks?|things|something) at me\b",
    r"\b(?:pushed|shoved|pinned|thrown|slammed) (?:me )?(?:against|into|up against|onto|to) (?:the|a|my) (?:wall|car|door|floor|ground|fence)\b",
    r"\b(?:threw|thrown|throwing|chucked) (?:\w+ ){0,5}(?:at|over) me\b|\bthrown (?:\w+ ){0,2}through (?:my|the) (?:window|door)\b",
    r"\b(?:kicked|kicking) (?:in|down) (?:my|the) (?:front |back )?door\b|\bdoor is being (?:kicked|smashed|forced)\b",
    # despair, plans and means
    r"\b(?:end|ending|endin|finish|finishing) it\b(?! (?:with|there|here|now,? (?:and|but)|off|early|up))",
    r"\b(?:ive|i have|i ve) had enough of (?:life|living|everything|it all|being alive)\b",
    r"\b(?:no|dont see the|cant see the|whats the|what is the) point (?:in|of)? ?(?:anything|living|life|going on|carrying on|being here|trying)\b",
    r"\bpoint in (?:carrying on|going on) living\b",
    r"\b(?:go to sleep|fall asleep) and (?:not|never) wake up\b|\bnever wak(?:e|ing) up\b",
    r"\b(?:wont|will not|im not going to|i wont) be (?:around|here|alive)\b",
    r"\b(?:written|wrote|writing|left) (?:\w+ )?(?:letters?|notes?) (?:to|for) (?:my|the) (?:family|kids|children|wife|husband|partner|mum|parents|loved ones)\b",
    r"\bgiv(?:ing|en|e) (?:\w+ ){0,2}(?:things|stuff|belongings|possessions) away\b",
    r"\b(?:better off|happier|fine|easier) (?:if|when) i (?:wasnt|was not|werent|were not|am not|wasn t) (?:here|around|alive|in the picture)\b",
    r"\b(?:better off|better) without me\b",
    r"\bno way out\b|\bmade my peace\b",
    r"\b(?:wont|will not) be a (?:problem|burden) (?:for|to) anyone\b",
    r"\bnot (?:being|be) here any ?more\b|\bnot (?:wanting|want) to be here\b",
    r"\b(?:everything|it all) to stop\b.*\bpermanent\w*\b|\bstop permanently\b",
    r"\b(?:after|when|once) i(?:m| am)? (?:gone|dead|not here)\b",
    r"\b(?:tired|sick) of (?:living|being alive|life)\b",
    r"\b(?:disappear|vanish) (?:forever|for good|and never)\b|\bnot exist\b",
    r"\b(?:notice|care|miss me) if i (?:was|were|m|am) gone\b|\bif i was gone\b",
    r"\bsaying goodbye to (?:people|everyone|my)\b|\bsaid goodbye to\b",
    r"\b(?:the only|only) (?:way out|option)\b.*\b(?:end|ending|die|dying|gone)\b|\bending it\b",
    r"\bhow (?:i would|id|i d) (?:do it|end it|kill|die)\b|\bhow to (?:end it|kill myself|die)\b|\bways to die\b",
    r"\b(?:pills|tablets|paracetamol|painkillers|sleeping tablets|antidepressants|prescription)\b.*\b(?:saved|stockpil\w*|counted|"
    r"in front of me|on the table|taken|take|took|swallowed|it would take|how many|a lot|a load|enough|bottle|strip|all)\b",
    r"\b(?:taken|took|swallowed|had|buying|bought) (?:\w+ ){0,5}(?:pills|tablets|paracetamol|painkillers|sleeping tablets|antidepressants|insulin)\b",
    r"\b(?:insulin|pills|tablets|paracetamol|dose)\b.*\b(?:fatal|lethal|kill me|to die|would take)\b",
    r"\b(?:hoping|hope|hoped) (?:not|never) to wake up\b|\b(?:goodbye|suicide) (?:note|letter|message)\b",
    r"\b(?:given|giving|gave) away (?:\w+ ){0,3}(?:things|stuff|belongings|possessions)\b|\bmade arrangements for (?:the|my) (?:dog|cat|kids|pets?)\b",
    r"\b(?:images?|thoughts?|pictures?|visions?) of (?:me )?(?:hanging|killing|drowning|hurting) myself\b|\bhang(?:ing)? myself\b",
    r"\b(?:buying|bought|got) (?:\w+ ){0,2}(?:rope|a rope|tape and rope|rope and tape)\b",
    r"\bcant see (?:how|a way) (?:i|to) (?:survive|get through|live through|carry on)\b",
    r"\b(?:bridge|edge|ledge|roof|top floor|cliff)\b.*\b(?:jump|jumping|over the edge|looking over|thinking|go back)\b|\bthinking about jumping\b",
    r"\b(?:standing|stood|sat|sitting|sit) (?:\w+ ){0,2}(?:on|at) (?:the|a) (?:bridge|ledge|edge|roof|cliff|cliff edge|top floor)\b|\bcliff edge\b",
    r"\b(?:drive|driving|crash|crashing|steer|steering)\w* (?:my car )?(?:into|in front of|off) (?:(?:a|the) )?(?:back of (?:a|the) )?(?:wall|tree|lorry|truck|bridge|train|motorway|road|river|bus)\b",
    r"\b(?:bought|got|have) a rope\b|\b(?:step|stepping|jump|jumping|throw myself) in front of a (?:train|bus|lorry|car)\b",
    r"\b(?:cut|cutting|burn|burning|burned|burnt|hurt|hurting|hit|hitting|scratch|scratched) (?:myself|my (?:arms?|legs?|wrists?|skin|head))\b",
    r"\bstarted (?:cutting|self ?harming|hurting myself) again\b|\bcutting again\b",
    r"\b(?:scared|afraid|frightened|terrified) (?:of )?what i (?:might|will|ll|could|ill)? ?do\b|\bwhat ill do to myself\b|\bdont trust myself\b",
    r"\b(?:scared|afraid|frightened|worried) (?:ill|i ll|i will|i might) do it again\b",
    r"\bsomething stupid (?:to myself|tonight)\b|\bdo something (?:stupid|silly) to myself\b",
    r"\b(?:got|have|ve got) the knife out\b|\bknife (?:out|in my hand)\b",
    # danger right now
    r"\b(?:banging|hammering|kicking) (?:on|at) (?:my|the) (?:door|window)\b",
    r"\b(?:outside|at) (?:my|the) (?:house|door|window|flat) (?:\w+ ){0,3}(?:shouting|screaming|banging|threatening)\b",
    r"\b(?:theyre|they are|hes|he is|shes|she is|someones|someone is) (?:outside|here|at the door)\b.*\bhelp\b",
    r"\btrying to (?:get|break) in(?:to)? (?:my|the) (?:house|flat|home|door)\b",
    r"\b(?:screaming|shouting) (?:at me )?and (?:wont|will not) (?:leave|go)\b",
    r"\b(?:in|at) my (?:garden|house|home|flat|door|window|drive) (?:right )?now\b|\b(?:right now|as we speak)\b.*\b(?:follow|outside|door|garden|car|house)\w*",
    r"\b(?:follow|following|followed) me (?:right )?now\b|\blooking for me\b.*\b(?:locked|hiding|corridor)\b|\blocked (?:myself )?in\b.*\blooking for me\b",
    r"\btrying (?:my|the) (?:car )?door(?: handles?)?\b",
    r"\b(?:come|coming) back (?:tonight|tonite|later|for me)\b|\bcoming for (?:you|me|her)\b",
    r"\b(?:should|ought to|wants? to|going to|gonna) (?:shoot|stab|kill|hurt|hang|burn) (?:me|her|him|you)\b|\bcrossbow\b|\bill stab\b",
    r"\b(?:do|doing) something to my (?:house|home|car|flat|family|kids)\b|\bturn up\b.*\b(?:rang|bell|door|house|address)\b",
    r"\b(?:know|knows|found out|worked out) (?:where|which|what) (?:\w+ ){0,2}(?:daughter|son|kids|children|little girl|little boy)\b",
    r"\b(?:this ones|this one s|she s|shes|you re|youre) getting it\b|\bcatch (?:me|her) on\b",
]
# Denials and idioms that are not danger ("I'm not suicidal", "my head will kill me when she sees it").
_NOT_DANGER = re.compile(
    r"\b(?:not|never|nothing|not at all|no|dont|do not|didnt) (?:\w+ ){0,2}(?:suicidal|suicide|going to do anything (?:silly|stupid)|a danger to myself|"
    r"going to hurt myself|in danger|unsafe|threatening me|threatened me)\b|"
    r"\b(?:hang|hung) (?:me|her|him|us) out to dry\b|"
    r"\b(?:not|never) (?:\w+ ){0,2}(?:worried|scared|afraid|concerned|frightened) (?:for|about) my (?:\w+ )?safety\b|"
    r"\b(?:nobody|no one|noone|nobodys|no ones|not been|never been|hasnt been|havent been) (?:has )?(?:\w+ ){0,2}threaten\w*(?: me)?\b|"
    r"\bfeel\w* like (?:i ?ve|i have|ive|i d|id|ive just) been (?:hit|kicked|punched|run over|slapped|hit by)\b[^.]*|"
    r"\b(?:hit|kicked|punched) in the (?:stomach|gut|teeth)\b|"
    r"\bfollow\w* me (?:around|round|about|everywhere) (?:online|on the internet|forever|for ever|for years|for the rest)\b|"
    r"\b(?:no one|nobody|noone|nothing about|nobody knows|doesnt know|dont know) (?:\w+ ){0,2}where i live\b|"
    r"\b(?:how (?:do|should|can|would) (?:i|we)|report\w*|log\w*|deal\w* with|handl\w*|moderat\w*) (?:\w+ ){0,4}threatening (?:comments?|messages?|posts?)\b|"
    r"\bmy (?:mum|mom|mam|dad|head|boss|husband|wife|partner|manager|line manager|headteacher|head teacher|hod|deputy|principal|"
    r"mother|father|ht|nan|gran)s? (?:\w+ ){0,4}kill me\b|"
    r"\bno threats?\b|"
    r"\b(?:die|died|dying) of (?:embarrassment|shame|cringe)\b|\b(?:killing|kills) me\b(?! (?:slowly|tonight))"
)
_INDIRECT += [
    # more threats as people write them
    r"\bdays are numbered\b|\bno idea what ?s coming\b|\b(?:you|we|yall|you all|everyone) (?:all )?knows? what to do\b",
    r"\b(?:break|snap|smash) (?:my|her|his|your) (?:fingers|jaw|arms?|nose|neck|hands?|knees?)\b",
    r"\bslit (?:my|her|his|your) throat\b|\bput a bullet in\b|\b(?:shoot|stab|strangle|drown) (?:her|him|me|you)\b",
    r"\bpoison (?:my|her|his|your) (?:dog|cat|pet|horse|food|drink)\b",
    r"\b(?:find|get|hurt) (?:my|her) (?:mum|mother|dad|father|family|kids|children|partner|girlfriend|boyfriend|wife|husband) too\b",
    r"\bbefore (?:she|he|they|you) gets? hurt\b|\b(?:gets?|get) hurt too\b",
    r"\bend up in (?:the|a) (?:canal|river|ground|hospital|box|ditch|morgue)\b",
    r"\b(?:better not|shouldnt|wouldnt) walk (?:home )?alone\b|\bwalk(?:ing)? (?:home )?alone\b.*\b(?:better|careful|if i were)\b",
    r"\b(?:i|we) ?(?:ll|will) end you\b|\bend you\b",
    r"\bfind out what happens to\b|\bwhat happens to (?:teachers|people|snitches|grasses) like\b",
    r"\bacid\b|\bcatch fire\b|\bburn(?:ing)? (?:down )?nicely\b",
    r"\b(?:only )?a matter of time before (?:someone|somebody|they|he|she) (?:gets? to|gets? hold of|finds?|hurts?) (?:me|her|you)\b",
    r"\b(?:batter|beat up|do in|sort out|get) (?:that|the) (?:teacher|miss|sir|cow|woman|bitch)\b",
    r"\bcarried out (?:of|in)\b|\benjoy your last\b|\bsleep with one eye open\b|\bdown a dark alley\b",
    r"\bhow brave you are without\b|\b(?:good|decent) insurance\b|\bhope you ?ve got insurance\b",
    r"\b(?:sorts?|sorting) (?:him|her|them|me) out\b|\bproper welcome\b|\bgive (?:her|him|me) a welcome\b",
    r"\b(?:have|having) (?:a )?words? with (?:me|her|him)\b|\bhave me in the\b|\b(?:i|he|they) know people\b",
    r"\b(?:theyd|theyll|they would|they will|hed|hell|shed|shell) get me\b|\bget me after\b",
    r"\bfake nudes\b|\bnudes of me\b",
    r"\bcoming in to deal with\b|\bto deal with (?:me|her|him)\b",
    # tracking and being found
    r"\b(?:tracker|airtag|air tag|gps tag)\b.*\b(?:car|coat|bag|pocket|mine|my)\b",
    r"\bfollowing me (?:in (?:his|her|a|their) car|right now|now|home)\b|\bmust be following me\b",
    r"\b(?:posting|posted|shared|sharing|put up) (?:where i am|my (?:bus |train )?route|my (?:daily )?routine|what time i)\b",
    r"\bthe route i (?:take|walk|run|drive)\b|\bthe time and the route\b|\bwhat time i catch\b",
    r"\b(?:same|that same) (?:man|bloke|guy|woman|person|car|van|parent|dad|mum) (?:has been|was|keeps|is)? ?(?:\w+ ){0,3}(?:outside|at|opposite|near|by|following)\b",
    r"\bkeep seeing (?:the same|that) (?:man|bloke|guy|woman|person|car|van|parent)\b",
    r"\bparked (?:opposite|across from|outside|near) my (?:flat|house|home)\b",
    r"\b(?:waiting|stood|standing) at my (?:gate|door|car|front door)\b",
    r"\bknew my (?:son|daughter|kids|childs|childrens) (?:name|school)\b|\btell your mum hi\b",
    r"\b(?:staring|stares|stared) at me\b.*\b(?:nursery|school|pick ?up|gate|outside)\b",
    r"\b(?:photo|picture|pic)s? of my (?:children|kids|son|daughter)\b",
    r"\bmy (?:daughters|sons|kids|childrens|child s|daughter s|son s) (?:school|nursery) (?:and (?:her|his|their) names? )?(?:have|has) been posted\b",
    r"\b(?:with|and) (?:the name of )?my (?:street|road|postcode|address)\b|\bmy address in (?:the|their|his|her) bio\b",
    r"\bphoto of (?:me|my road|my street|my house) (?:\w+ ){0,5}(?:found her|found him|with the time|the route)\b|\bfound her\b",
    # despair, plans and means, in more words
    r"\b(?:wrote|written|made|sorted) my will\b|\bsorted (?:out )?my affairs\b|\bgiven my (?:dog|cat|pets?) to\b",
    r"\bsaving up (?:my )?(?:tablets|pills|meds|medication)\b|\bmy pills deciding\b|\b(?:tablets|pills) it takes\b",
    r"\bcut (?:deeper|again|myself)\b|\burge to (?:cut|hurt myself|self harm|end it|die)\b|\bscratching my arms\b",
    r"\bsleep and (?:not|never) wake up\b|\bwant it all to (?:end|stop)\b|\bwant (?:it|everything) to end\b",
    r"\b(?:top of|on top of|top floor of) the (?:multi ?storey|car park|building|tower)\b",
    r"\bdrank (?:bleach|antifreeze|weedkiller)\b|\bswallowed (?:bleach|pills|tablets)\b",
    r"\bdisappear(?:ing)? for good\b|\b(?:nobody|no one|noone) (?:will|would) (?:miss|notice|care)\b",
    r"\bwalk(?:ing)? into the (?:sea|river|water|lake)\b",
    r"\b(?:im|i am|i m) (?:on|at) the (?:bridge|cliffs?|edge|roof|top|station|tracks|railway)\b",
    r"\bthis is goodbye\b|\bgoodbye,? thank you for trying\b|\bthank you for trying\b",
    r"\bcrash\w* (?:the |my )?car (?:into|off)\b|\bengine running\b",
    r"^(?:tbh |honestly )?(?:ive|i have|i ve) had enough(?: of (?:it|everything|this|it all|life))?$",
    r"^(?:im|i am|i m) (?:done|finished)(?: with (?:it all|everything|life))?$",
    r"\b(?:have|got|made) a plan and a date\b|\bi have a plan\b|\bpainless ways?\b",
    r"\blocked myself in\b.*\b(?:pills|tablets|knife|blade)\b|\bcant keep myself safe\b|\bcan ?t keep myself safe\b",
    r"\b(?:belt|rope|cord|ligature) (?:round|around) my neck\b|\btied the rope\b",
    r"\b(?:go to sleep|asleep) so i can do it\b|\bso i can do it\b",
    r"\bthinking of jumping\b|\bcant stop thinking (?:of|about) (?:jumping|dying|ending|killing)\b",
    r"\b(?:vodka|wine|whisky|drink|alcohol|booze)\b.*\b(?:pills|tablets|antidepressants|painkillers)\b",
    # danger right now, and what was done to the home
    r"^(?:hes|he is|shes|she is|theyre|they are) here\b|\b(?:theyre|they are|hes|he is|shes|she is) at the door\b",
    r"\b(?:crowd|group|gang|lads|men|people) (?:is |are )?outside my (?:house|home|flat|door)\b",
    r"\boutside my (?:house|home|flat) right now\b|\bcant get out\b.*\bblock\w*\b",
    r"\b(?:hes|he has|shes|she has|theyve|they have) got a (?:knife|gun|weapon|blade|bat)\b",
    r"\b(?:im|i am|i m) hiding\b|\bhiding in the\b|\blocked myself in the (?:toilet|bathroom|cupboard|classroom|car)\b",
    r"\b(?:in the building|in school|in the corridor) (?:and )?(?:looking|searching) for me\b|\blooking for me\b",
    r"\btrying to get into my (?:classroom|room|office|car)\b|\boutside the (?:classroom|staffroom) door\b",
    r"\b(?:smashing|breaking|kicking) (?:my|the) (?:windows?|door)\b|\bthrew something at my (?:window|door|car)\b",
    r"\b(?:someones|someone is|somebody is|somebodys|there s someone|theres someone) in my (?:garden|house|flat|home)\b",
    r"\btried my (?:back |front )?door\b|\b(?:back|front) door (?:was )?(?:unlocked|open)\b.*\b(?:moved|someone|been in)\b",
    r"\b(?:someone|somebody|a man|he|they) attacked me\b|\bgot jumped\b",
    r"\btyres? (?:were |was |have been )?slashed\b|\bbrick through (?:my|the) (?:car )?window\b",
    r"\b(?:written|sprayed|painted) (?:\w+ ){0,3}on my (?:front )?(?:door|car|house|wall)\b",
    r"\b(?:cat|dog|pet)\b.*\b(?:injured|hurt|dead|killed)\b.*\bnote\b|\bnote (?:with|had) my name\b",
]
_INDIRECT += [
    # slang and text-speak (developed on data/safety/danger_third.txt)
    r"\b(?:hes|he is|shes|she is|theyre|they are|theyr|someones|someone is|some1s|theres a man|there s a man|a man is|men are)"
    r" (?:\w+ ){0,2}(?:outside|at the (?:window|door)|in the garden|waiting by my car|on (?:his|her|their) way (?:round|over))\b",
    r"^(?:why is (?:he|she|they) outside|pls (?:hes|shes|theyre) at the (?:window|door))\b|\bhes here\b|\bu need to help me\b",
    r"\btrying my (?:back |front )?door\b|\bsmashed my (?:front |back )?window\b|\bchanting my name\b",
    r"\bfollowed me (?:\w+ ){0,2}days\b|\bsaid (?:theyd|they would|hed|he would) find me\b",
    r"\bunaliv\w*|\bcba with life\b|\bwrap (?:it|it all) up (?:tonight|tonite|for good|2nite)\b",
    r"\bnot (?:gonna|going to|gunna) be (?:here|around) (?:much|for much) longer\b|\b(?:gunna|gonna|going to) jump\b",
    r"\bon the roof of\b|\bstep (?:out )?in front of\b|\bthinking about going in\b",
    r"\b(?:tablets|pills|meds)\b (?:\w+ ){0,2}(?:lined up|in my hand|ready|counted out|r in my hand)\b|\btake them all\b",
    r"\bhow many (?:it takes|would do it|to take)\b|\bways to do it\b|\bresearched (?:methods|ways)\b|\bstockpil\w*",
    r"\bpicked (?:the|a) (?:day|date)\b|\bi ve picked\b|\bive picked a date\b|\bits gonna be (?:friday|saturday|sunday|monday|tonight)\b",
    r"\btried (?:last night|before|again) (?:and )?(?:it )?didnt work\b|\ba ?(?:and|&)? ?e after taking\b|\bwish i hadnt woke\b",
    r"\bsaid my goodbyes\b|\bgoodbye (?:letters?|notes?)\b|\btell my (?:partner|wife|husband|kids|mum|mam|family) (?:im|i m) sorry\b",
    r"\bsorry for everything\b|\bbetter this way\b|\bits better this way\b",
    r"\b(?:wont|will not) (?:need to worry about|have to bother with) (?:the|a) hearing\b",
    r"\b(?:this|it|itll|it ll) (?:will )?all be over (?:soon|by tomorrow|tonight)\b|\bsleep forever\b",
    r"\b(?:a|just a) burden (?:to|on) (?:my|the|everyone)\b|\bbetter off without (?:a mum|a dad|a mother|a father|me)\b",
    r"\bpoint (?:of|in) me being here\b|\bthe only way out\b|\bwant to be dead\b|\bhow much longer i can (?:stay alive|go on|keep going)\b",
    r"\bgo (?:thru|through) with it\b|\bdo it (?:2nite|tonight|tonite|tomorrow)\b|\btelling me to (?:do it|hurt myself|kill myself)\b",
    r"\bgot everything ready\b|\bburn\w* my (?:hands?|arms?|legs?|skin)\b|\bcutting (?:rn|now|again)\b|\bneed to cut\b",
    r"\bcuttin\b|\bwent too deep\b|\bblood everywhere\b|\bpunching walls? til\b|\bwant to go deeper\b",
    r"\bmerk\w*\b|\b(?:getting|get|be) stabbed\b|\bpetrol ?bomb\b",
    r"\bwait for my (?:son|daughter|kids?|boy|girl)\b|\btake my (?:baby|son|daughter|kids?|boy|girl)\b",
    r"\basked my (?:son|daughter) (?:\w+ ){0,4}(?:if (?:she|he) was|whose)\b|\bposted my (?:kids|childrens|sons|daughters) names?\b",
    r"\b(?:her|his) (?:mum|mam|dad) (?:is|s) (?:gonna|going to) get hurt\b",
    r"\bposted my gym\b|\bknowing what i\b|\bcommented my (?:street|road|address|postcode)\b",
    r"\blocation (?:got |has been |was )?shared\b|\blive location\b|\bfound my new address\b",
    r"\bsent me a (?:pic|photo|picture) of me (?:at|in|outside|walking|from)\b|\bknows my (?:running |walking )?route\b",
    r"\b(?:addy|gaff|reg plate|number plate|home number)\b",
    r"\bgo get her\b|\bsomeone should sort (?:her|him)\b|\byou know the drill\b|\bturn up at (?:mine|hers|my house)\b",
    r"\b(?:shes|she is|hes|he is) at number \d+\b|\bup for a visit\b|\b(?:gunna|gonna|going to) get me\b",
    r"\b(?:pills|tablets) ready\b|\btaken a load of stuff\b|\bsee him (?:saturday|sunday|monday|tomorrow|at)\b",
    r"\bwont be an after\b|\bnot that it matters\b.*\b(?:date|day|after)\b",
]
_INDIRECT += [
    # a crisis said plainly; not being here later; the means at hand (fourth development set)
    r"\b(?:im|i am|i m|were|we are|this is|its|it is) (?:in )?(?:a )?crisis\b(?! (?:of confidence|meeting|management|plan|team|line))",
    r"\b(?:not|never) (?:sure|certain) (?:ill|i will|i ll) (?:be|still be) (?:around|here|alive)\b",
    r"\b(?:might|may|wont|will not) (?:not )?(?:be|still be) (?:here|around|alive) (?:by|next|tomorrow|when|for|much longer|after)\b",
    r"\b(?:may|might) not be a tomorrow\b|\bno tomorrow for me\b",
    r"\b(?:dont|do not) think ill (?:see|make it to|last)\b",
    r"\b(?:saved|saving|stockpiled|stockpiling|hoarded|hoarding|collected|collecting) (?:up )?(?:my |all my |some )?(?:pills|tablets|meds|medication|painkillers)\b",
    r"\b(?:sat|sitting|sat there|staring|stared|holding|held) (?:\w+ ){0,4}(?:bottle|packet|box|pile) of (?:pills|tablets|painkillers)\b",
    r"\b(?:pills|tablets|painkillers) (?:in front of|next to|beside) me\b",
    r"\b(?:looking|look|stare|staring) at the (?:rope|knife|blade|bridge|tracks)\b|\bon the bridge\b(?= .*\b(?:today|tonight|again|thinking)\b)",
    # someone who knows where a member or their child is, and when
    r"\b(?:knows|know|found out|find out|worked out|got hold of|has) (?:\w+ ){0,2}(?:my|our) (?:address|routine|movements|home address)\b",
    r"\b(?:knows|knew|know) (?:which|what|where) (?:gym|school|nursery|house|street|car|bus|train) (?:i|my|our|she|he)\b",
    r"\b(?:the )?times? i (?:get to|arrive at|leave|go to|finish at|get home)\b.*\b(?:messag|text|post|send|sent|know)",
    r"\b(?:messag|text|post|send|sent)\w* (?:\w+ ){0,3}(?:the )?times? i (?:get|arrive|leave|go|finish)\b",
    r"\bfollow(?:ing|ed|s)? (?:my|our) (?:kids|children|son|daughter|child) (?:home|to school|from school)\b",
    r"\b(?:posted|shared|put up|sent) (?:\w+ ){0,3}(?:my|our) (?:sons|daughters|kids|childs|childrens|son s|daughter s) (?:school|nursery|address)\b",
    r"\b(?:posted|shared|put up|sent) (?:\w+ ){0,4}(?:which|what) school (?:she|he|they|my \w+) (?:goes|go|attends)\b",
]
# Emoji that are threats when aimed at someone (normalising the text removes them).
_THREAT_EMOJI = re.compile("[\U0001F52A\U0001F52B\U0001F4A3\u26B0\U0001FA78]")
_FIRE_AT_HOME = re.compile("\U0001F525\\s*\U0001F3E0|\U0001F3E0\\s*\U0001F525")
_PATTERNS += _INDIRECT
_RISK = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: edits, counting a swap of two letters as one."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur.append(best)
        prev2, prev = prev, cur
    return prev[-1]


def _correct(token: str) -> str:
    """The vocabulary word `token` is a near-miss of, else the token itself."""
    if len(token) < 6 or token in _FUZZY_VOCAB:
        return token
    for word in _FUZZY_VOCAB:
        if token[0] != word[0] or abs(len(token) - len(word)) > 1:
            continue
        if edit_distance(token, word) <= (2 if len(word) >= 10 else 1):
            return word
    return token


def normalise(text: str) -> str:
    """Lower case, no apostrophes or punctuation, stretched letters shortened, typos fixed."""
    text = re.sub(r"['’‘`]", "", text.lower()[:5000])
    text = re.sub(r"[^\w]+|_", " ", text)
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)
    return " ".join(_correct(token) for token in text.split())


def mentions_safety_risk(text: str | None) -> bool:
    """True if the text suggests threats, self-harm, stalking, doxxing or feeling unsafe."""
    if not text:
        return False
    if _THREAT_EMOJI.search(text) or _FIRE_AT_HOME.search(text):
        return True
    norm = normalise(text)
    return _RISK.search(_NOT_DANGER.sub(" ", norm)) is not None


# --- distress that is not danger -----------------------------------------------------------
# Fear for a job, panic, no sleep, feeling sick: a kind sentence and the wellbeing helpline,
# then carry on. Never 999 for these: that would frighten someone who is already frightened.

DISTRESS_TEXT = (
    "I'm sorry you're feeling like this; it's a lot to carry, and you're right to ask for help. "
    "If it would help to talk to someone about how you're feeling, Education Support's free "
    "helpline for everyone working in education is open any time: 08000 562 561."
)

_FEELING = (
    r"(?:scared|terrified|frightened|afraid|petrified|worried|anxious|panick?\w*|nervous|dreading|"
    r"stressed|overwhelmed|devastated|distraught|mortified|humiliated|ashamed|embarrassed|gutted|"
    r"heartbroken|upset|in bits|a wreck|a mess|falling apart|sick with worry|beside myself|at my wits end|"
    r"on edge|shaken|shaking|numb|broken|desperate|hopeless about my (?:job|career))"
)
_DISTRESS_PATTERNS = [
    rf"\b(?:im|i am|i m|i feel|i felt|feeling|i was|ive been|i have been|i get|i got|so|really|totally|absolutely) {_FEELING}\b",
    rf"\b{_FEELING} (?:about|of|that|i will|ill|i might|i could|i am going to|im going to|im gonna) ",
    r"\b(?:lose|losing|lost) my (?:job|career|livelihood|registration|reputation)\b",
    r"\b(?:end|ruin|finish|destroy|wreck)\w* my (?:career|job|reputation|life at)\b",
    r"\b(?:cant|cannot|can not|havent been able to|unable to|not been able to) (?:sleep|eat|stop crying|stop shaking|"
    r"stop thinking about|focus|concentrate|function|breathe properly)\b",
    r"\b(?:not sleeping|not eating|no sleep|havent slept|hardly slept|barely slept|up all night)\b",
    r"\b(?:feel|feeling|felt) (?:sick|physically sick|ill|like crying|like throwing up|like im drowning|"
    r"like the world|sick to my stomach)\b",
    r"\b(?:crying|in tears|sobbing|panic attacks?|anxiety attacks?|heart (?:is )?(?:racing|pounding)|"
    r"breaking down|mental health|nervous breakdown)\b",
    r"\b(?:kill me|die of (?:embarrassment|shame)|dead meat|the ground to swallow me)\b",
    r"\b(?:this is|its) (?:killing me|destroying me|eating me up|a nightmare)\b",
]
_DISTRESS = re.compile("|".join(f"(?:{p})" for p in _DISTRESS_PATTERNS))


def mentions_distress(text: str | None) -> bool:
    """True if the text speaks of fear, panic or distress (danger is `mentions_safety_risk`'s, checked first)."""
    if not text:
        return False
    return _DISTRESS.search(normalise(text)) is not None


# Words that say what happened (an incident), as opposed to how it feels.
_INCIDENT = re.compile(
    r"\b(?:post\w*|photo\w*|picture\w*|video\w*|comment\w*|message\w*|tweet\w*|account\w*|page|group|"
    r"facebook|instagram|insta|tiktok|twitter|whatsapp|snapchat|youtube|online|pupil\w*|student\w*|parent\w*|"
    r"colleague\w*|head|manager|school|complain\w*|complaint|accus\w*|alleg\w*|report\w*|said|says|wrote|shared|"
    r"meeting|investigat\w*|suspend\w*|hearing|police|screenshot\w*|fake|tagged|because|after|when)\b"
)


def is_only_a_feeling(text: str | None) -> bool:
    """A short message about how the member feels, with nothing about what happened."""
    norm = normalise(text or "")
    return bool(norm) and len(norm.split()) <= 25 and mentions_distress(text) and not _INCIDENT.search(norm)
