namespace Contoso.Loyalty;

enum 50100 "Loyalty Level"
{
    Extensible = true;
    Caption = 'Loyalty Level';

    value(0; Bronze)
    {
        Caption = 'Bronze';
    }
    value(1; Silver)
    {
        Caption = 'Silver';
    }
    value(2; Gold)
    {
        Caption = 'Gold';
    }
}
